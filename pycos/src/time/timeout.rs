//! [`Timeout`]: a time limit on any future.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use pin_project_lite::pin_project;

use super::{TimerKey, as_nanos};
use crate::runtime::context::with_core;

pin_project! {
    /// A future with a time limit: `Some(output)`, or `None` when the limit
    /// passed first. Made by [`WaitExt::timeout`](crate::WaitExt::timeout) and
    /// [`TaskCtx::sleep`](crate::TaskCtx::sleep).
    ///
    /// The inner future is always polled before the clock is checked, so a
    /// result that is ready wins over an expired limit. A limit of zero (or
    /// less) tries, gives the other ready tasks a turn, tries once more and
    /// then gives `None`: so `task.sleep(0)` yields, as in pycos.
    #[must_use = "pycos operations do nothing unless awaited: add `.await`"]
    #[derive(Debug)]
    pub struct Timeout<F> {
        #[pin]
        inner: F,
        // Nanoseconds, `u64::MAX` for none: 8 bytes each instead of 16 (a
        // million sleeping tasks each hold one of these).
        limit: u64,
        deadline: u64,
        timer: Option<TimerKey>,
    }

    impl<F> PinnedDrop for Timeout<F> {
        fn drop(this: Pin<&mut Self>) {
            if let Some(key) = this.project().timer.take() {
                with_core(|core| core.timers.borrow_mut().cancel(key));
            }
        }
    }
}

/// No limit, or no deadline yet.
const UNSET: u64 = u64::MAX;

/// What the clock says of a pending wait.
enum Expiry {
    /// The deadline passed.
    Expired,
    /// A timer will wake the task at the deadline.
    Armed,
    /// A zero limit: give way once before trying the last time.
    YieldFirst,
}

impl<F> Timeout<F> {
    pub(crate) fn new(inner: F, limit: Option<Duration>) -> Timeout<F> {
        Timeout {
            inner,
            limit: limit.map_or(UNSET, as_nanos),
            deadline: UNSET,
            timer: None,
        }
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(value) = this.inner.poll(cx) {
            if let Some(key) = this.timer.take() {
                with_core(|core| core.timers.borrow_mut().cancel(key));
            }
            return Poll::Ready(Some(value));
        }
        let limit = *this.limit;
        if limit == UNSET {
            return Poll::Pending;
        }
        if crate::runtime::coop::is_spent() {
            // The inner wait may have given way only because the task's
            // budget is spent, with its result there: look at the clock
            // after the task's next turn, not now.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let expiry = with_core(|core| {
            let now = core.clock.now();
            if *this.deadline == UNSET {
                *this.deadline = now.saturating_add(limit);
                if limit == 0 {
                    return Expiry::YieldFirst;
                }
            }
            let deadline = *this.deadline;
            let mut timers = core.timers.borrow_mut();
            if now >= deadline {
                if let Some(key) = this.timer.take() {
                    timers.cancel(key);
                }
                return Expiry::Expired;
            }
            match *this.timer {
                Some(key) => timers.set_waker(key, cx.waker()),
                None => *this.timer = Some(timers.insert(deadline, cx.waker().clone())),
            }
            Expiry::Armed
        })
        .unwrap_or_else(|| panic!("{}", crate::runtime::context::NO_SCHEDULER));
        match expiry {
            Expiry::Expired => Poll::Ready(None),
            Expiry::Armed => Poll::Pending,
            Expiry::YieldFirst => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
}
