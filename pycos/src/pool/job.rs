//! A job's way back: a one-shot slot the pool thread fills and the task's
//! [`PoolTask`] future takes, waking the task from the pool thread.
//!
//! A job queued from a task holds an [`OutsideWork`] guard from
//! `async_task` until its result is in the slot and the task woken, so a
//! virtual clock does not jump over the real time the job takes (a
//! `.timeout(5.0)` on the result would otherwise expire at once). The guard
//! lives in the [`Sender`], and is dropped at the end of
//! [`Sender::complete`], which runs whether the job ran, panicked, or was
//! dropped unrun.

use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use super::PoolError;
use crate::panic::panic_text;
use crate::runtime::coop;
use crate::runtime::outside::OutsideWork;
use crate::util::lock;

/// A job as the pool threads see it: run once, result already routed.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

struct Slot<T> {
    result: Option<Result<T, PoolError>>,
    waker: Option<Waker>,
}

/// The pool's end of the slot. Dropped without a result (the job never
/// ran), it reports [`PoolError::Terminated`], so no task waits for ever.
struct Sender<T> {
    slot: Option<Arc<Mutex<Slot<T>>>>,
    /// Holds back the virtual clock of the queuing task's scheduler.
    outside: Option<OutsideWork>,
}

impl<T> Sender<T> {
    fn complete(&mut self, result: Result<T, PoolError>) {
        let Some(slot) = self.slot.take() else {
            return;
        };
        let waker = {
            let mut slot = lock(&slot);
            slot.result = Some(result);
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        // Only now: the wake-up is queued before the clock may move.
        drop(self.outside.take());
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.complete(Err(PoolError::Terminated));
    }
}

/// Wraps `f` as a job whose result (or panic) goes to the returned future.
pub(crate) fn job<F, T>(f: F) -> (Job, PoolTask<T>)
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot {
        result: None,
        waker: None,
    }));
    let mut sender = Sender {
        slot: Some(slot.clone()),
        outside: OutsideWork::begin(),
    };
    let job: Job = Box::new(move || {
        let result = catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
            let text = panic_text(&*panic);
            drop_contained(panic);
            PoolError::Panicked(text)
        });
        sender.complete(result);
    });
    (job, PoolTask { slot })
}

/// Drops what a job left behind (a panic payload, a result nobody awaits)
/// on the pool thread, containing a destructor that panics too: the thread
/// must live on to run the next jobs. A second payload is leaked rather
/// than risk a third panic.
pub(crate) fn drop_contained<V>(value: V) {
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(value))) {
        tracing::warn!(
            panic = %panic_text(&*again),
            "a pool job left a value whose destructor panicked"
        );
        std::mem::forget(again);
    }
}

/// The result of a job given to
/// [`AsyncThreadPool::async_task`](crate::AsyncThreadPool::async_task).
///
/// The job is queued when `async_task` is called, not when this is first
/// awaited, so several jobs can be started and then awaited. Dropping this
/// future does not stop a job that has started; its result is discarded.
#[must_use = "the job runs anyway; await this to get its result"]
pub struct PoolTask<T> {
    slot: Arc<Mutex<Slot<T>>>,
}

impl<T> PoolTask<T> {
    /// A future that is already complete (a job refused by the pool).
    pub(crate) fn refused() -> PoolTask<T> {
        PoolTask {
            slot: Arc::new(Mutex::new(Slot {
                result: Some(Err(PoolError::Terminated)),
                waker: None,
            })),
        }
    }
}

impl<T> Future for PoolTask<T> {
    type Output = Result<T, PoolError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        std::task::ready!(coop::proceed(cx));
        let mut slot = lock(&self.slot);
        match slot.result.take() {
            Some(result) => Poll::Ready(result),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<T> fmt::Debug for PoolTask<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let done = lock(&self.slot).result.is_some();
        f.debug_struct("PoolTask").field("done", &done).finish()
    }
}

impl<T> crate::__private::PycosWait for PoolTask<T> {}
