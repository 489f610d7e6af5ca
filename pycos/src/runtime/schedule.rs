//! The runtime's half of the task ↔ scheduler contact: how a woken task
//! gets back into its scheduler's run queue.
//!
//! The contact is narrow on purpose (tokio's `Schedule` trait and
//! `Notified` capability are the model). The task side (`task::header`)
//! owns the task's flags and states and offers the scheduler a handful of
//! methods — placed, begin poll, pending action, paused, removed; the
//! scheduler never reads or writes a header field. In the other direction
//! a waker, having claimed the task's run flag (so each task is queued at
//! most once), hands the task to [`schedule_woken`], and nothing else of
//! the scheduler.

use std::sync::Arc;

use super::{Injected, Shared, context};
use crate::task::header::Header;

/// Queues a task whose run flag the caller claimed. A wake-up on its own
/// scheduler thread (the common case) moves the reference straight into
/// the run queue, with one look at the thread-local context; a wake-up on
/// any other thread goes through the scheduler's inject queue.
pub(crate) fn schedule_woken(header: Arc<Header>) {
    let mut foreign = Some(header);
    context::with_core(|core| {
        if foreign
            .as_ref()
            .is_some_and(|h| Arc::ptr_eq(&core.shared, h.scheduler()))
        {
            core.push(foreign.take().expect("checked just above"));
        }
    });
    if let Some(header) = foreign {
        let sched: Arc<Shared> = header.scheduler().clone();
        // A stopped scheduler drops the wake-up: its tasks have ended.
        drop(sched.inject(Injected::Wake(header)));
    }
}
