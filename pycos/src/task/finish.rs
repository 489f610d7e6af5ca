//! [`Finish`]: waiting in a task for another task to end.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::TaskError;
use super::handle::convert;
use super::header::Header;
use super::interrupt::PycosWait;
use crate::runtime::{context, coop};

/// The wait made by [`Task::finish`](crate::Task::finish): the task's value,
/// or how it failed.
#[must_use = "a `Finish` waits only when awaited: write `task.finish().await` \
              (in a thread, `task.value()`)"]
pub struct Finish<R> {
    header: Arc<Header>,
    _output: PhantomData<fn() -> R>,
}

impl<R> Finish<R> {
    pub(crate) fn new(header: Arc<Header>) -> Finish<R> {
        Finish {
            header,
            _output: PhantomData,
        }
    }
}

impl<R: Any + Send + Sync + Clone> Future for Finish<R> {
    type Output = Result<R, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        std::task::ready!(coop::proceed(cx));
        {
            let mut state = self.header.lock();
            if let Some(outcome) = &state.outcome {
                return Poll::Ready(convert(outcome.get()));
            }
            // Only a live task can be the one waiting: checked on the way
            // to waiting, not on every ready poll.
            let waits_for_itself =
                context::with_core(|core| core.with_current(|h| Arc::ptr_eq(h, &self.header)))
                    .flatten()
                    .unwrap_or(false);
            if waits_for_itself {
                return Poll::Ready(Err(TaskError::SelfWait));
            }
            state.rare().finish_waiters.add(cx.waker());
        }
        // A proxy's outcome comes from its hook (see `crate::remote`).
        self.header.watch_if_remote();
        Poll::Pending
    }
}

impl<R: Any + Send + Sync + Clone> PycosWait for Finish<R> {}

impl<R> std::fmt::Debug for Finish<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finish")
            .field("task", &self.header.id())
            .finish()
    }
}
