//! A wake-up flag for one waiting task, set from any thread.
//!
//! The writer of a link waits on it for frames to send; whoever queues a
//! frame (a task on any scheduler, or a thread) sets it. Setting is one
//! atomic swap when the writer is busy, so queuing a frame costs no wake-up
//! while the writer is still writing the last batch: that is when frames
//! coalesce.

use crate::util::lock;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

/// One waiter, any number of notifiers.
#[derive(Debug, Default)]
pub(crate) struct Notify {
    set: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Notify {
    /// Sets the flag and wakes the waiter if it sleeps.
    pub(crate) fn notify(&self) {
        if !self.set.swap(true, Ordering::AcqRel)
            && let Some(waker) = lock(&self.waker).take()
        {
            waker.wake();
        }
    }

    /// Whether the flag is set: a wake-up not yet taken by the waiter.
    pub(crate) fn is_set(&self) -> bool {
        self.set.load(Ordering::Acquire)
    }

    /// Waits until the flag is set, and clears it.
    pub(crate) fn wait(&self) -> Wait<'_> {
        Wait { notify: self }
    }
}

/// The future of [`Notify::wait`].
#[derive(Debug)]
pub(crate) struct Wait<'a> {
    notify: &'a Notify,
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let notify = self.notify;
        if notify.set.swap(false, Ordering::AcqRel) {
            return Poll::Ready(());
        }
        *lock(&notify.waker) = Some(cx.waker().clone());
        // Set between the first check and storing the waker: the notifier
        // found no waker to wake, so look again.
        if notify.set.swap(false, Ordering::AcqRel) {
            lock(&notify.waker).take();
            return Poll::Ready(());
        }
        Poll::Pending
    }
}
