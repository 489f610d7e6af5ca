//! The shared half of a task: everything other threads and tasks may touch.
//!
//! A task is split in two. Its body future lives in its scheduler's slab and
//! is touched only by the scheduler thread. Everything else — mailbox, the
//! waiting slots, pending interrupts, monitors, the final outcome — lives
//! here, behind one mutex, so that `send`, `resume`, `throw`, `value` and the
//! rest work from any thread through one mechanism. The mutex is uncontended
//! in the common case (one scheduler thread), where it costs two atomic
//! operations.
//!
//! Each kind of wait has its own waker slot (`receiver`, `suspender`,
//! `finish_waiters`), which is how a wake-up only ends the wait it belongs
//! to: a `send` wakes only a receiver, a `resume` only a suspended task.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Wake, Waker};

use super::spec::ErasedSpec;
use super::{MonitorStatus, Task, TaskError, ThrownError};
use crate::Msg;
use crate::runtime::{RunFlag, Shared};

/// Task ids are unique for the life of the process: never reused.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Slot value of a task not yet placed in its scheduler's slab.
pub(crate) const NO_SLOT: usize = usize::MAX;

pub(crate) struct Header {
    pub(crate) id: u64,
    pub(crate) sched: Arc<Shared>,
    pub(crate) run: RunFlag,
    /// Fast check for `State::interrupts` being non-empty.
    pub(crate) interrupted: AtomicBool,
    /// Key of the body future in the scheduler's slab.
    pub(crate) slot: AtomicUsize,
    state: Mutex<State>,
    /// Signalled when the task ends, for threads blocked in `value()`.
    pub(crate) done: Condvar,
}

#[derive(Default)]
pub(crate) struct State {
    pub(crate) name: &'static str,
    pub(crate) outcome: Option<Result<Msg, TaskError>>,
    pub(crate) mailbox: VecDeque<Msg>,
    pub(crate) receiver: Option<Waker>,
    pub(crate) suspender: Option<Waker>,
    pub(crate) update: Option<Msg>,
    pub(crate) interrupts: Interrupts,
    pub(crate) hot_swappable: bool,
    pub(crate) daemon: bool,
    pub(crate) monitors: Vec<Task>,
    pub(crate) finish_waiters: Vec<Waker>,
    pub(crate) names: Vec<String>,
}

/// Interrupts waiting for the task's next interruption point.
#[derive(Default)]
pub(crate) struct Interrupts {
    pub(crate) terminate: bool,
    /// Thrown errors in order; `true` marks a rethrown one (no longer catchable).
    pub(crate) thrown: VecDeque<(ThrownError, bool)>,
    /// A replacement body; `true` marks an accepted swap (no longer catchable).
    pub(crate) swap: Option<(Box<dyn ErasedSpec>, bool)>,
}

impl Interrupts {
    fn is_empty(&self) -> bool {
        !self.terminate && self.thrown.is_empty() && self.swap.is_none()
    }
}

/// What the scheduler must do instead of polling the task.
pub(crate) enum Action {
    Terminate,
    Throw(ThrownError),
    Swap(Box<dyn ErasedSpec>),
}

/// An interrupt taken by a `.catch()` wait.
pub(crate) enum Caught {
    Thrown(ThrownError),
    Swap(Box<dyn ErasedSpec>),
}

impl std::fmt::Debug for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Header").field("id", &self.id).finish_non_exhaustive()
    }
}

impl Header {
    pub(crate) fn new(sched: Arc<Shared>, name: &'static str) -> Arc<Header> {
        Arc::new(Header {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            sched,
            run: RunFlag::default(),
            interrupted: AtomicBool::new(false),
            slot: AtomicUsize::new(NO_SLOT),
            state: Mutex::new(State {
                name,
                ..State::default()
            }),
            done: Condvar::new(),
        })
    }

    /// Locks the shared state. Poisoning is recovered from: every update of
    /// the state completes without calling user code while locked.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn is_alive(&self) -> bool {
        self.lock().outcome.is_none()
    }

    /// Adds an interrupt and wakes the task so the scheduler acts on it.
    pub(crate) fn interrupt(self: &Arc<Self>, add: impl FnOnce(&mut Interrupts)) -> bool {
        {
            let mut state = self.lock();
            if state.outcome.is_some() {
                return false;
            }
            add(&mut state.interrupts);
        }
        self.interrupted.store(true, Ordering::Release);
        self.wake_by_ref();
        true
    }

    /// The interrupt to apply now, given where the task last paused.
    pub(crate) fn take_action(&self, at_point: bool, catching: bool) -> Option<Action> {
        let mut state = self.lock();
        let action = state.take_action(at_point, catching);
        self.interrupted
            .store(!state.interrupts.is_empty(), Ordering::Release);
        action
    }

    /// The first interrupt a `.catch()` wait may take.
    pub(crate) fn take_catchable(&self) -> Option<Caught> {
        if !self.interrupted.load(Ordering::Acquire) {
            return None;
        }
        let mut state = self.lock();
        let caught = state.take_catchable();
        self.interrupted
            .store(!state.interrupts.is_empty(), Ordering::Release);
        caught
    }

    /// Whether an interrupt is pending that must take effect at the very
    /// next interruption point, even if that wait could complete at once.
    pub(crate) fn has_uncatchable(&self) -> bool {
        self.interrupted.load(Ordering::Acquire) && self.lock().has_uncatchable()
    }

    /// Records the outcome and returns who must hear of it. Called once, on
    /// the scheduler thread, after the body future has been dropped.
    pub(crate) fn set_outcome(&self, outcome: Result<Msg, TaskError>) -> Ended {
        let mut state = self.lock();
        state.outcome = Some(outcome.clone());
        state.receiver = None;
        state.suspender = None;
        state.interrupts = Interrupts::default();
        self.interrupted.store(false, Ordering::Release);
        self.done.notify_all();
        Ended {
            outcome,
            daemon: state.daemon,
            monitors: std::mem::take(&mut state.monitors),
            waiters: std::mem::take(&mut state.finish_waiters),
            names: std::mem::take(&mut state.names),
        }
    }
}

impl State {
    fn take_action(&mut self, at_point: bool, catching: bool) -> Option<Action> {
        let interrupts = &mut self.interrupts;
        if interrupts.terminate {
            interrupts.terminate = false;
            return Some(Action::Terminate);
        }
        if !at_point {
            return None;
        }
        if interrupts.thrown.front().is_some_and(|(_, rethrown)| *rethrown || !catching) {
            return interrupts.thrown.pop_front().map(|(err, _)| Action::Throw(err));
        }
        // An accepted swap applies even if the task stopped being swappable
        // since: accepting is explicit consent.
        let swap_ready = interrupts
            .swap
            .as_ref()
            .is_some_and(|(_, accepted)| *accepted || (self.hot_swappable && !catching));
        if swap_ready {
            return interrupts.swap.take().map(|(spec, _)| Action::Swap(spec));
        }
        None
    }

    /// Whether an interrupt is pending that no `.catch()` may take.
    fn has_uncatchable(&self) -> bool {
        let interrupts = &self.interrupts;
        interrupts.terminate
            || interrupts.thrown.front().is_some_and(|(_, rethrown)| *rethrown)
            || interrupts.swap.as_ref().is_some_and(|(_, accepted)| *accepted)
    }

    fn take_catchable(&mut self) -> Option<Caught> {
        let interrupts = &mut self.interrupts;
        if interrupts.thrown.front().is_some_and(|(_, rethrown)| !rethrown) {
            return interrupts.thrown.pop_front().map(|(err, _)| Caught::Thrown(err));
        }
        let swap_catchable = interrupts.swap.as_ref().is_some_and(|(_, accepted)| !accepted);
        if self.hot_swappable && swap_catchable {
            return interrupts.swap.take().map(|(spec, _)| Caught::Swap(spec));
        }
        None
    }
}

/// What the end of a task sets in motion (outside the lock).
pub(crate) struct Ended {
    pub(crate) outcome: Result<Msg, TaskError>,
    pub(crate) daemon: bool,
    pub(crate) monitors: Vec<Task>,
    pub(crate) waiters: Vec<Waker>,
    pub(crate) names: Vec<String>,
}

impl Ended {
    pub(crate) fn notify(self, task: &Task) {
        for waker in self.waiters {
            waker.wake();
        }
        for monitor in self.monitors {
            let status = MonitorStatus {
                task: task.clone(),
                result: self.outcome.clone(),
            };
            if monitor.send(status).is_err() {
                tracing::debug!(%monitor, %task, "monitor ended before its task; status dropped");
            }
        }
    }
}

impl Wake for Header {
    fn wake(self: Arc<Self>) {
        if self.run.claim() {
            let sched = self.sched.clone();
            Shared::schedule(&sched, self);
        }
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.run.claim() {
            Shared::schedule(&self.sched, self.clone());
        }
    }
}
