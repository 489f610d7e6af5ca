//! Locking primitives for tasks: [`Lock`], [`RLock`], [`Condition`],
//! [`Event`], [`Semaphore`] (pycos' primitives of the same names).
//!
//! Tasks of one scheduler never run at the same time, so data they share
//! needs no lock between two awaits; these primitives are for holding
//! something *across* awaits (a resource used over several I/O waits), and
//! for signalling. As in pycos, every wait is an ordinary wait of the task:
//! other tasks run meanwhile, and [`.timeout(t)`](crate::WaitExt::timeout)
//! bounds it.
//!
//! Differences from pycos, all deliberate:
//! - Guards: an acquire gives a guard that releases when dropped; `leak`
//!   (or `forget` for a permit) keeps the hold for code that releases
//!   explicitly with `release()`.
//! - A release by a task that does not hold the lock is a [`NotOwner`]
//!   error value (pycos raises, or crashes for `RLock` and `Condition`).
//! - Strict FIFO hand-over: a released lock or permit goes to the oldest
//!   waiter, never to a task that asks in between.
//! - [`Condition::wait_timeout`] re-acquires the lock on timeout.
//! - [`Semaphore`] acquires take a timeout, and `Semaphore::new(0)` is
//!   allowed.
//! - A negative timeout tries once, as for every wait
//!   ([`IntoTimeout`](crate::IntoTimeout)); pycos' `Lock.acquire(timeout=-1)`
//!   waits forever.
//!
//! Each item's doc has its own "Differences from pycos" section.
//!
//! Every wait charges the task's cooperative budget when it completes (see
//! the crate's fairness rule): a task that re-acquires a free lock in a
//! loop still lets the other tasks run after a bounded number of
//! acquisitions, as a pycos task does at each `yield`.
//!
//! The primitives are `Send + Sync` handles (clones share one primitive), so
//! they can be created in `main` and passed to tasks, and released or set
//! from other threads. Internally each is a `std::sync::Mutex` over its
//! state and a FIFO queue of wakers (`waiters.rs`); a waiter whose wait ends
//! early (timeout, termination) leaves the queue and passes on anything it
//! was handed in that instant, so no wake-up is lost.

mod condition;
mod error;
mod event;
mod lock;
mod raw_lock;
mod rlock;
mod semaphore;
pub(crate) mod waiters;

pub use condition::{Condition, ConditionAcquire, ConditionGuard};
pub use error::NotOwner;
pub use event::{Event, EventWait};
pub use lock::{Lock, LockAcquire, LockGuard};
pub use rlock::{RLock, RLockAcquire, RLockGuard};
pub use semaphore::{Semaphore, SemaphoreAcquire, SemaphorePermit};

use std::future::Future;

use crate::runtime::coop;

/// Charges one ready completion to the running task's cooperative budget
/// (see `runtime::coop`), for waits written as `async fn` that may complete
/// without ever returning `Pending` (a `deliver` with its subscribers
/// there, a message already set aside): awaited first, it gives way once
/// the budget is spent.
pub(crate) fn charge() -> impl Future<Output = ()> {
    std::future::poll_fn(|cx| coop::proceed(cx))
}

#[cfg(test)]
mod auto_traits {
    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn primitives_and_guards_cross_threads() {
        send_sync::<super::Lock>();
        send_sync::<super::LockGuard>();
        send_sync::<super::RLock>();
        send_sync::<super::RLockGuard>();
        send_sync::<super::Condition>();
        send_sync::<super::ConditionGuard>();
        send_sync::<super::Event>();
        send_sync::<super::Semaphore>();
        send_sync::<super::SemaphorePermit>();
        send_sync::<super::LockAcquire<'static>>();
        send_sync::<super::EventWait<'static>>();
    }
}
