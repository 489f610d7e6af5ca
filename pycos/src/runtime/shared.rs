//! [`Shared`]: the part of a scheduler that other threads hold — the
//! inject queue and its waker, the scheduler thread's handle, live-task
//! accounting for `join`, the name registry, the atexit hooks and the
//! remote hook — and [`Injected`], the work they hand to its thread.

use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use super::atexit::Hooks;
use super::inject::{Inject, Pushed};
use super::registry::Registry;
use super::{live, outside};
use crate::task::TaskError;
use crate::task::header::Header;
use crate::task::spec::ErasedSpec;

/// Work handed to the scheduler thread by other threads.
pub(crate) enum Injected {
    /// A task woken by a waker on another thread.
    Wake(Arc<Header>),
    /// A task created on another thread.
    Spawn(Arc<Header>, Box<dyn ErasedSpec>),
    /// End every task and stop the thread.
    Stop,
    /// Make the scheduler thread fail as a bug in it would (tests of what
    /// waiters see then; see `__private::fail_scheduler`).
    Fail,
}

/// The part of a scheduler that other threads share.
pub(crate) struct Shared {
    pub(crate) name: String,
    pub(crate) inject: Inject<Injected>,
    pub(super) unpark: mio::Waker,
    pub(super) thread: Mutex<Option<JoinHandle<()>>>,
    /// Live non-daemon tasks; `join` waits for zero.
    pub(super) live: live::Live,
    /// Registered task names and the channel table.
    pub(crate) registry: Registry,
    pub(super) hooks: Mutex<Hooks>,
    /// Work running on other threads for this scheduler's tasks.
    pub(crate) outside: outside::OutsideCount,
    /// Why the scheduler thread died, if it did (see `Core::die`).
    pub(super) death: OnceLock<String>,
    /// What serves this scheduler's proxies of remote tasks and channels.
    pub(crate) hook: OnceLock<Arc<dyn crate::remote::Hook>>,
}

impl Shared {
    /// Hands work to the scheduler thread; gives it back if it has stopped.
    pub(crate) fn inject(&self, work: Injected) -> Option<Injected> {
        match self.inject.push(work) {
            Ok(Pushed::Unpark) => {
                self.unpark();
                None
            }
            Ok(Pushed::Queued) => None,
            Err(work) => Some(work),
        }
    }

    /// Records that the scheduler thread died; spawns fail from now on.
    pub(crate) fn set_dead(&self, reason: String) {
        // Only the dying thread calls this, once.
        let _ = self.death.set(reason);
    }

    /// Why the scheduler thread died, if it did.
    pub(crate) fn death(&self) -> Option<&str> {
        self.death.get().map(String::as_str)
    }

    /// The error of a task refused by this stopped or dead scheduler.
    pub(super) fn refused(&self) -> TaskError {
        match self.death() {
            Some(reason) => TaskError::SchedulerDied(reason.to_owned()),
            None => TaskError::Terminated,
        }
    }

    /// Wakes the scheduler thread from its sleep in the kernel.
    pub(crate) fn unpark(&self) {
        if let Err(err) = self.unpark.wake() {
            tracing::error!(%err, "cannot wake the scheduler thread");
        }
    }

    pub(crate) fn daemon_changed(&self, daemon: bool) {
        if daemon {
            self.live.ended();
        } else {
            self.live.started();
        }
    }

    pub(super) fn task_started(&self) {
        self.live.started();
    }

    /// Records a task's end and tells everyone who waits for it. Any thread.
    pub(crate) fn end_task(&self, header: &Arc<Header>, outcome: Result<crate::Msg, TaskError>) {
        let ended = header.set_outcome(outcome);
        if !ended.daemon {
            self.daemon_changed(true);
        }
        if ended.exported {
            crate::remote::unexport(header);
        }
        if !ended.names.is_empty() {
            self.registry.unregister_tasks(&ended.names);
        }
        ended.notify(header);
    }

    /// Waits until no non-daemon task is alive; `false` on timeout.
    pub(super) fn wait_idle(&self, limit: Option<Duration>) -> bool {
        self.live.wait_idle(limit)
    }
}
