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
    /// result that is ready wins over an expired limit, and a limit of zero
    /// means "try once" (pycos' `timeout <= 0`).
    #[must_use = "pycos operations do nothing unless awaited: add `.await`"]
    #[derive(Debug)]
    pub struct Timeout<F> {
        #[pin]
        inner: F,
        limit: Option<Duration>,
        deadline: Option<u64>,
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

impl<F> Timeout<F> {
    pub(crate) fn new(inner: F, limit: Option<Duration>) -> Timeout<F> {
        Timeout {
            inner,
            limit,
            deadline: None,
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
        let Some(limit) = *this.limit else {
            return Poll::Pending;
        };
        let expired = with_core(|core| {
            let now = core.clock.now();
            let deadline = *this
                .deadline
                .get_or_insert_with(|| now.saturating_add(as_nanos(limit)));
            let mut timers = core.timers.borrow_mut();
            if now >= deadline {
                if let Some(key) = this.timer.take() {
                    timers.cancel(key);
                }
                return true;
            }
            match *this.timer {
                Some(key) => timers.set_waker(key, cx.waker()),
                None => *this.timer = Some(timers.insert(deadline, cx.waker().clone())),
            }
            false
        })
        .unwrap_or_else(|| panic!("{}", crate::runtime::context::NO_SCHEDULER));
        if expired {
            Poll::Ready(None)
        } else {
            Poll::Pending
        }
    }
}
