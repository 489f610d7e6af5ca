//! Cooperative budget: how many ready awaits a task may complete in one turn.
//!
//! An await whose result is already there (a queued message, buffered
//! socket data, a free lock, an accept that fails at once) does not pause
//! the task, so without a limit a task fed faster than it drains would run
//! forever and freeze every other task, timer and socket of its scheduler.
//! pycos switches tasks at every `yield`; tokio gives each task a budget of
//! 128 ready operations per poll. We do as tokio does: the scheduler refills
//! the running task's budget before each poll, every pycos wait that is
//! about to complete charges one unit, and a wait that finds the budget
//! spent wakes its task and returns `Pending` once instead, without taking
//! anything (the message stays queued, the data stays buffered). The task
//! then goes to the back of the run queue, behind the tasks already ready,
//! and the scheduler looks at timers and I/O after at most one round.
//!
//! The budget is a thread-local counter of its own rather than a field of
//! the scheduler's core: every ready await reads it, and one
//! const-initialized thread-local is cheaper to reach than the core behind
//! its `RefCell`. Outside a scheduler's poll (a pycos future polled by
//! another executor) the budget is unlimited.

use std::cell::Cell;
use std::task::{Context, Poll};

/// Ready awaits a task may complete per poll (tokio's figure).
pub(crate) const BUDGET: u32 = 128;

/// No budget: not inside a scheduler's poll of a task.
const UNLIMITED: u32 = u32::MAX;

thread_local! {
    static LEFT: Cell<u32> = const { Cell::new(UNLIMITED) };
}

/// Runs `poll` (a scheduler's poll of one task) with a full budget.
#[inline]
pub(crate) fn budgeted<T>(poll: impl FnOnce() -> T) -> T {
    /// Restores "unlimited" even if the poll unwinds.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            let _ = LEFT.try_with(|left| left.set(UNLIMITED));
        }
    }
    LEFT.with(|left| left.set(BUDGET));
    let _reset = Reset;
    poll()
}

/// Charges one ready completion to the running task. `Poll::Ready(())`:
/// go ahead and complete. `Poll::Pending`: the budget is spent; the task
/// has been woken (it will run again after the others) and the caller must
/// return `Pending` without consuming its result.
///
/// Call it where a wait is about to return `Ready`, before taking the
/// result; a wait that is going to return `Pending` anyway need not call it.
#[inline]
pub(crate) fn proceed(cx: &Context<'_>) -> Poll<()> {
    let spent = LEFT
        .try_with(|left| match left.get() {
            UNLIMITED => false,
            0 => true,
            n => {
                left.set(n - 1);
                false
            }
        })
        .unwrap_or(false);
    if spent {
        cx.waker().wake_by_ref();
        Poll::Pending
    } else {
        Poll::Ready(())
    }
}

/// Whether the running task's budget is spent (without charging it): a
/// wait that just returned `Pending` may have done so only for the budget.
#[inline]
pub(crate) fn is_spent() -> bool {
    LEFT.try_with(|left| left.get() == 0).unwrap_or(false)
}
