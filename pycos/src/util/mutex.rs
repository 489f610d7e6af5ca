//! Poison-free locking (as tokio's `loom/std/mutex.rs`).
//!
//! A `std` mutex is poisoned when a thread panics while holding it, and
//! every later `lock()` returns an error. The runtime's mutexes guard state
//! whose invariants hold between statements, and no user code runs while
//! they are held, so a panic elsewhere cannot leave them half-updated: a
//! poisoned lock is used as it is, instead of spreading the panic to every
//! task and thread that touches it.
//!
//! [`lock`] is the common case; [`unpoison`] is the same recovery for any
//! other `LockResult`: a condition variable's `wait`, or the loom mutex
//! that the inject queue switches to under `--cfg loom`.

use std::sync::{LockResult, Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, recovering from poisoning (see the module doc).
pub(crate) fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    unpoison(mutex.lock())
}

/// The value of a lock result, poisoned or not (see the module doc).
pub(crate) fn unpoison<G>(result: LockResult<G>) -> G {
    result.unwrap_or_else(PoisonError::into_inner)
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::lock;
    use std::sync::Mutex;

    #[test]
    fn a_poisoned_mutex_still_locks() {
        let mutex = Mutex::new(1);
        let poisoner = std::panic::catch_unwind(|| {
            let _held = mutex.lock().unwrap();
            panic!("poison");
        });
        assert!(poisoner.is_err() && mutex.is_poisoned());
        *lock(&mutex) += 1;
        assert_eq!(*lock(&mutex), 2);
    }
}
