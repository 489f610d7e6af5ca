//! [`OpLimit`]: pycos' per-object `settimeout`, shared by sockets and files.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::IntoTimeout;

/// The stored value meaning "no limit".
const NO_LIMIT: u64 = u64::MAX;

/// A per-operation time limit that any thread may change (the object is
/// shared between tasks behind an `Arc`): nanoseconds in an atomic.
#[derive(Debug)]
pub(crate) struct OpLimit(AtomicU64);

impl OpLimit {
    /// No limit.
    pub(crate) fn new() -> OpLimit {
        OpLimit(AtomicU64::new(NO_LIMIT))
    }

    /// Sets the limit; `None` or infinity means none, zero "try once".
    pub(crate) fn set(&self, limit: impl IntoTimeout) {
        let nanos = limit
            .into_timeout()
            .map_or(NO_LIMIT, |d| crate::time::as_nanos(d).min(NO_LIMIT - 1));
        self.0.store(nanos, Ordering::Relaxed);
    }

    /// The limit, if any.
    pub(crate) fn get(&self) -> Option<Duration> {
        match self.0.load(Ordering::Relaxed) {
            NO_LIMIT => None,
            nanos => Some(Duration::from_nanos(nanos)),
        }
    }
}
