//! [`YieldNow`]: giving the other ready tasks a turn.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::interrupt::PycosWait;

/// The wait made by [`TaskCtx::yield_now`](crate::TaskCtx::yield_now): the
/// task goes to the back of the run queue once, behind every task that is
/// ready, and continues after they had their turn (pycos' `yield` of
/// nothing, or `task.sleep(0)`).
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug, Default)]
pub struct YieldNow {
    yielded: bool,
}

impl YieldNow {
    pub(crate) fn new() -> YieldNow {
        YieldNow::default()
    }
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl PycosWait for YieldNow {}
