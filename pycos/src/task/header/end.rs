//! The end of a task: recording its outcome, dropping what it held, and
//! telling whoever waits for or monitors it.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::{FinishWaiters, Header, Inbox, Interrupts, Outcome, Suspension};
use crate::Msg;
use crate::task::{MonitorStatus, Task, TaskError};

impl Header {
    /// Records the outcome and returns who must hear of it. Called once,
    /// after the body future has been dropped.
    ///
    /// Unread messages are dropped before the end is published, so whoever
    /// sees the end (`value`, `finish`, a monitor) also sees them gone; their
    /// destructors are user code, run unlocked and contained. A task with no
    /// mailbox (most) takes the lock once; a message sent while the mailbox
    /// is being dropped goes with the other leftovers, after the end.
    pub(crate) fn set_outcome(&self, outcome: Result<Msg, TaskError>) -> Ended {
        let mut state = self.lock();
        if state.inbox.is_some() {
            let unread = state.inbox.take();
            drop(state);
            crate::panic::contain("dropping an ended task's messages", || drop(unread));
            state = self.lock();
        }
        state.outcome = Some(Outcome::new(outcome.clone()));
        // An ended task receives nothing more: its unread messages and a
        // pending update go now, not with its last handle (dropped outside
        // the lock: their destructors are user code).
        let unread = state.inbox.take();
        let update = std::mem::take(&mut state.suspension);
        self.interrupted.store(false, Ordering::Release);
        let mut rare = state.rare.take().map(|rare| *rare).unwrap_or_default();
        if let Some(remote) = rare.remote.take() {
            // A proxy keeps saying what it stands for after the end.
            state.rare().remote = Some(remote);
        }
        if let Some(done) = &rare.done {
            // Threads already waiting hold their own reference to it; later
            // ones find the outcome without waiting.
            done.set();
        }
        let observed = rare.done.is_some()
            || !rare.monitors.is_empty()
            || !matches!(rare.finish_waiters, FinishWaiters::None);
        Ended {
            outcome,
            daemon: state.daemon,
            observed,
            monitors: rare.monitors,
            waiters: rare.finish_waiters,
            names: rare.names,
            exported: rare.exported,
            leftovers: Leftovers {
                unread,
                update,
                interrupts: rare.interrupts,
            },
        }
    }
}

/// What the end of a task sets in motion (outside the lock).
pub(crate) struct Ended {
    pub(crate) outcome: Result<Msg, TaskError>,
    pub(crate) daemon: bool,
    /// Whether anyone waits for or monitors the task (else a failure is
    /// logged, as pycos logs uncaught exceptions).
    observed: bool,
    pub(crate) monitors: Vec<Task>,
    pub(crate) waiters: FinishWaiters,
    pub(crate) names: Vec<String>,
    /// Whether the task is in its scheduler's export table.
    pub(crate) exported: bool,
    leftovers: Leftovers,
}

/// What an ended task held for a future it no longer has: unread
/// messages, an update nobody took, interrupts that never applied.
struct Leftovers {
    unread: Option<Box<Inbox>>,
    update: Suspension,
    interrupts: Interrupts,
}

impl Leftovers {
    /// Whether there is nothing to drop (most ends): no user value at all.
    fn is_empty(&self) -> bool {
        self.unread.is_none()
            && matches!(self.update, Suspension::Idle)
            && self.interrupts.is_empty()
    }
}

impl Ended {
    pub(crate) fn notify(self, header: &Arc<Header>) {
        let Ended {
            outcome,
            observed,
            monitors,
            waiters,
            leftovers,
            ..
        } = self;
        // User destructors (of messages, of a swap's arguments) may panic;
        // that must not keep the waiters below from hearing of the end.
        if !leftovers.is_empty() {
            crate::panic::contain("dropping an ended task's messages", || {
                drop(leftovers);
            });
        }
        waiters.wake_all();
        if outcome.is_err() {
            log_failure(&Task::from_header(header.clone()), &outcome, observed);
        }
        if monitors.is_empty() {
            return;
        }
        let task = &Task::from_header(header.clone());
        for monitor in monitors {
            let status = MonitorStatus {
                task: task.clone(),
                result: outcome.clone(),
            };
            if monitor.send(status).is_err() {
                tracing::debug!(%monitor, %task, "monitor ended before its task; status dropped");
            }
        }
    }
}

/// Logs how a task failed: as a warning when nobody waits for it or
/// monitors it (the failure would go unseen otherwise), for debugging when
/// someone does. A termination is deliberate and not logged.
fn log_failure(task: &Task, outcome: &Result<Msg, TaskError>, observed: bool) {
    let Err(err) = outcome else {
        return;
    };
    if err.is_terminated() {
        return;
    }
    if observed {
        tracing::debug!(%task, error = %err, "task failed");
    } else {
        tracing::warn!(%task, error = %err, "task failed and nobody waits for it or monitors it");
    }
}
