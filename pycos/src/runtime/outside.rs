//! Work in flight outside the scheduler thread, which a virtual clock must
//! wait for.
//!
//! A virtual clock jumps to the next timer when no task can run. That is
//! only right if nothing else can make a task runnable before that timer: a
//! thread-pool job or a file operation running on a helper thread can. So
//! such work holds an [`OutsideWork`] guard while it runs; while any guard
//! is alive the scheduler does not let virtual time jump, and sleeps in the
//! kernel until the work's wake-up arrives instead.
//!
//! The guard must be dropped *after* the work has woken its task: the
//! wake-up is then already queued (the inject queue's `notified` flag is
//! set) when the count drops, so the scheduler never sees "no guard and
//! nothing queued" in between. Sockets and pipes need no guard: their
//! readiness comes from the reactor, which the scheduler polls before time
//! jumps.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Shared, context};

/// Counts the [`OutsideWork`] guards of one scheduler.
#[derive(Debug, Default)]
pub(crate) struct OutsideCount(AtomicUsize);

impl OutsideCount {
    /// Whether any outside work is in flight.
    pub(crate) fn any(&self) -> bool {
        self.0.load(Ordering::Acquire) != 0
    }
}

/// Held by work running off the scheduler thread for a task; see the
/// module doc for when to drop it.
pub(crate) struct OutsideWork {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for OutsideWork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutsideWork")
            .field("scheduler", &self.shared.name)
            .finish()
    }
}

impl OutsideWork {
    /// Starts outside work for the scheduler of the calling thread; `None`
    /// off scheduler threads (no virtual clock can be waiting there).
    pub(crate) fn begin() -> Option<OutsideWork> {
        let shared = context::with_core(|core| core.shared.clone())?;
        shared.outside.0.fetch_add(1, Ordering::AcqRel);
        Some(OutsideWork { shared })
    }
}

impl Drop for OutsideWork {
    fn drop(&mut self) {
        self.shared.outside.0.fetch_sub(1, Ordering::AcqRel);
        // A scheduler parked on outside work (no timer due) must look again.
        self.shared.unpark();
    }
}
