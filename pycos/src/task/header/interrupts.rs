//! Interrupts waiting for a task's next interruption point, and taking
//! the one the rules of `task::pause` pick.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::Wake;

use super::{Header, State};
use crate::task::ThrownError;
use crate::task::pause::{self, Decision, Outstanding, Pause, Pending};
use crate::task::spec::ErasedSpec;

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
    pub(super) fn is_empty(&self) -> bool {
        !self.terminate && self.thrown.is_empty() && self.swap.is_none()
    }

    /// What the interrupt rules ([`pause`]) need to know of them.
    fn outstanding(&self, hot_swappable: bool) -> Outstanding {
        let pending = |committed: bool| {
            if committed {
                Pending::Committed
            } else {
                Pending::Catchable
            }
        };
        Outstanding {
            terminate: self.terminate,
            thrown: self.thrown.front().map(|(_, rethrown)| pending(*rethrown)),
            swap: self.swap.as_ref().map(|(_, accepted)| pending(*accepted)),
            hot_swappable,
        }
    }

    /// Takes the interrupt `decision` names.
    fn take(&mut self, decision: Decision) -> Option<Action> {
        match decision {
            Decision::Terminate => {
                self.terminate = false;
                Some(Action::Terminate)
            }
            Decision::Throw => self.thrown.pop_front().map(|(err, _)| Action::Throw(err)),
            Decision::Swap => self.swap.take().map(|(spec, _)| Action::Swap(spec)),
            Decision::Continue => None,
        }
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

impl Header {
    /// Adds an interrupt and wakes the task so the scheduler acts on it.
    pub(crate) fn interrupt(self: &Arc<Self>, add: impl FnOnce(&mut Interrupts)) -> bool {
        {
            let mut state = self.lock();
            if state.outcome.is_some() {
                return false;
            }
            add(&mut state.rare().interrupts);
        }
        self.interrupted.store(true, Ordering::Release);
        self.wake_by_ref();
        true
    }

    /// The interrupt to apply now, given where the task last paused.
    pub(crate) fn take_action(&self, pause: Pause) -> Option<Action> {
        let mut state = self.lock();
        let action = state.take_action(pause);
        self.interrupted
            .store(state.has_interrupts(), Ordering::Release);
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
            .store(state.has_interrupts(), Ordering::Release);
        caught
    }

    /// Whether an interrupt is pending that must take effect at an
    /// interruption point at `pause`, even if its wait could complete at
    /// once.
    pub(crate) fn must_stop_at(&self, pause: Pause) -> bool {
        self.interrupted.load(Ordering::Acquire)
            && self
                .lock()
                .outstanding()
                .is_some_and(|outstanding| pause::must_stop_at(pause, outstanding))
    }
}

impl State {
    fn has_interrupts(&self) -> bool {
        self.rare_ref()
            .is_some_and(|rare| !rare.interrupts.is_empty())
    }

    fn outstanding(&self) -> Option<Outstanding> {
        let rare = self.rare_ref()?;
        Some(rare.interrupts.outstanding(self.hot_swappable))
    }

    fn take_action(&mut self, pause: Pause) -> Option<Action> {
        let decision = pause::decide(pause, self.outstanding()?);
        self.rare().interrupts.take(decision)
    }

    fn take_catchable(&mut self) -> Option<Caught> {
        let decision = pause::catchable(self.outstanding()?);
        match self.rare().interrupts.take(decision)? {
            Action::Throw(err) => Some(Caught::Thrown(err)),
            Action::Swap(spec) => Some(Caught::Swap(spec)),
            Action::Terminate => None,
        }
    }
}
