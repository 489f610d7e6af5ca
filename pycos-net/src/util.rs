//! What every part of the crate shares.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, and goes on with its data if a panic elsewhere poisoned
/// it: no lock of this crate is held across code that can leave its data
/// half changed, so a poisoned lock still holds consistent data, and one
/// failing task must not take the node's links down with it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
