//! The task ↔ scheduler contact, task side (see `runtime::schedule`).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::Wake;

use super::{Action, Header, NO_SLOT};
use crate::runtime::Shared;
use crate::task::pause::Pause;

/// The scheduler's side of the contact with a task (see
/// `runtime::schedule`): everything `runtime::scheduler` may do to a
/// header, as operations rather than fields.
impl Header {
    /// The scheduler the task belongs to.
    pub(crate) fn scheduler(&self) -> &Arc<Shared> {
        &self.sched
    }

    /// A new task's body was placed at `key` of the slab and the task is
    /// being queued.
    pub(crate) fn placed(&self, key: u32) {
        self.slot.store(key, Ordering::Relaxed);
        self.run.set();
    }

    /// The task's body left the slab (its end).
    pub(crate) fn removed(&self) {
        self.slot.store(NO_SLOT, Ordering::Relaxed);
    }

    /// Right before a poll: a wake-up from now on queues the task again.
    /// Gives the body's slab key and where it last paused.
    pub(crate) fn begin_poll(&self) -> (usize, Pause) {
        self.run.release();
        (
            self.slot.load(Ordering::Relaxed) as usize,
            self.paused.get(),
        )
    }

    /// Records where the body waits: after a poll that returned `Pending`,
    /// or for a new body after a swap.
    pub(crate) fn set_paused(&self, pause: Pause) {
        self.paused.set(pause);
    }

    /// The interrupt to apply where the body paused, if any is pending.
    pub(crate) fn pending_action(&self, pause: Pause) -> Option<Action> {
        if self.interrupted.load(Ordering::Acquire) {
            self.take_action(pause)
        } else {
            None
        }
    }

    /// Queues the task unless it is queued already (after a swap).
    pub(crate) fn requeue(self: &Arc<Self>) -> bool {
        self.run.claim()
    }

    /// A hot swap gave the task a new function's name.
    pub(crate) fn rename(&self, name: &'static str) {
        self.lock().name = name;
    }
}

/// What the task's own waits look at during a poll (`Point`, `Catch`).
impl Header {
    /// Whether any interrupt is pending (a fast check).
    pub(crate) fn is_interrupted(&self) -> bool {
        self.interrupted.load(Ordering::Acquire)
    }

    /// Marks an interrupt pending without waking the task (a hot swap to
    /// a task that is not swappable yet).
    pub(crate) fn flag_interrupt(&self) {
        self.interrupted.store(true, Ordering::Release);
    }

    /// Wakes the task if an interrupt is pending (after `hot_swappable(true)`).
    pub(crate) fn wake_if_interrupted(self: &Arc<Self>) {
        if self.is_interrupted() {
            self.wake_by_ref();
        }
    }
}
