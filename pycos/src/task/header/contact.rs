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
    /// Gives the body's slab key and where it last paused, and starts the
    /// new poll's pause record afresh.
    pub(crate) fn begin_poll(&self) -> (usize, Pause) {
        self.run.release();
        let last = self.paused.get();
        self.paused.set(Pause::NESTED);
        (self.slot.load(Ordering::Relaxed) as usize, last)
    }

    /// Where the poll that just returned `Pending` left the body.
    pub(crate) fn paused_at(&self) -> Pause {
        self.paused.get()
    }

    /// Records where the body waits, when a poll ended by an interrupt
    /// leaves it (it restarts as a new body after a swap).
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

/// What the task's own waits record on it during a poll (`Point`, `Catch`).
impl Header {
    /// The body pauses at `place` (combined with what an inner wait noted).
    pub(crate) fn note_pause(&self, place: Pause) {
        self.paused.set(self.paused.get().and(place));
    }

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
