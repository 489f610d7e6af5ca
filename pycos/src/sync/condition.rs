//! [`Condition`]: waiting for a notification while holding a lock (pycos'
//! `Condition`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::NotOwner;
use super::raw_lock::{Held, Owner, RawAcquire, RawLock};
use super::waiters::{WaiterKey, Waiters, wake_all};
use crate::runtime::coop;
use crate::time::{IntoTimeout, WaitExt};
use crate::util::lock;

/// A condition variable with its own re-entrant lock, as in pycos.
///
/// A task holding the lock calls [`wait`](Condition::wait): that releases
/// the lock completely (however deep it holds it), waits for a
/// [`notify`](Condition::notify), then re-acquires the lock — ahead of other
/// waiters for it — at the same depth before returning. `notify(n)` wakes
/// the `n` oldest waiters and may be called by anyone, holding the lock or
/// not, from any thread.
///
/// Bound a wait with [`wait_timeout`](Condition::wait_timeout), not with
/// `.timeout(t)` on `wait()`: a timeout ends the future it wraps, so
/// `wait().timeout(t)` could end *after releasing the lock and before
/// re-acquiring it*, returning to code that believes it holds the lock.
/// `wait_timeout` bounds only the wait for the notification and always
/// re-acquires (pycos 4.12.2 returns without the lock on timeout, a defect
/// this port does not copy).
///
/// # Differences from pycos
///
/// - [`wait_timeout`](Condition::wait_timeout) re-acquires the lock on
///   timeout too (pycos returns without it).
/// - The lock follows [`RLock`](crate::RLock#differences-from-pycos): strict
///   FIFO hand-over (a waiter coming back from `wait` goes first), negative
///   timeouts try once, and a release or `wait` by a task that does not hold
///   the lock is a [`NotOwner`] error value (pycos crashes).
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn producer(cond: Condition, task: TaskCtx) {
///     task.sleep(1.0).await;
///     let _held = cond.acquire().await;
///     cond.notify(1);
/// }
///
/// #[task]
/// fn handshake() -> Result<(), pycos::sync::NotOwner> {
///     let cond = Condition::new();
///     let guard = cond.acquire().await;
///     Task::new(producer(cond.clone()));
///     assert!(cond.wait_timeout(5.0).await?, "notified before the limit");
///     assert_eq!(cond.depth(), 1, "the lock is held again");
///     drop(guard);
///     Ok(())
/// }
/// # let sched = Pycos::builder().virtual_clock(true).build()?;
/// # sched.spawn(handshake()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Condition {
    lock: Arc<RawLock>,
    waiting: Arc<Mutex<Waiters>>,
}

impl Condition {
    /// A new condition with a free lock and no waiters.
    pub fn new() -> Condition {
        Condition {
            lock: Arc::new(RawLock::new(true)),
            waiting: Arc::default(),
        }
    }

    /// Waits for the condition's lock (at once if the calling task holds
    /// it); the guard releases this level when dropped.
    pub fn acquire(&self) -> ConditionAcquire<'_> {
        ConditionAcquire {
            cond: self,
            raw: self.lock.lock(1, false),
        }
    }

    /// Takes the lock if it is free or held by the calling task.
    pub fn try_acquire(&self) -> Option<ConditionGuard> {
        let me = Owner::current();
        self.lock.try_lock(me).then(|| ConditionGuard {
            held: Held::new(&self.lock, me),
        })
    }

    /// Releases one level of the lock held by the calling task.
    ///
    /// # Errors
    ///
    /// [`NotOwner`] if the calling task does not hold the lock.
    pub fn release(&self) -> Result<(), NotOwner> {
        self.lock.unlock(Owner::current())
    }

    /// Whether some task holds the lock.
    pub fn is_locked(&self) -> bool {
        self.lock.is_locked()
    }

    /// How many times the calling task holds the lock (0 if it does not).
    pub fn depth(&self) -> usize {
        self.lock.depth_of(Owner::current())
    }

    /// Releases the lock, waits for a notification, and re-acquires the lock
    /// at the depth it was held.
    ///
    /// # Errors
    ///
    /// [`NotOwner`] at once if the calling task does not hold the lock.
    pub async fn wait(&self) -> Result<(), NotOwner> {
        self.wait_for(None).await.map(|_| ())
    }

    /// Like [`wait`](Condition::wait), giving up waiting for a notification
    /// after `limit`; the lock is re-acquired either way. `true` if
    /// notified, `false` on timeout.
    ///
    /// # Errors
    ///
    /// [`NotOwner`] at once if the calling task does not hold the lock.
    pub async fn wait_timeout(&self, limit: impl IntoTimeout) -> Result<bool, NotOwner> {
        self.wait_for(limit.into_timeout()).await
    }

    async fn wait_for(&self, limit: Option<Duration>) -> Result<bool, NotOwner> {
        // Queued before the lock is released, so that a notify sent the
        // moment it is free (from another thread) is not missed.
        let notified = Notified::register(&self.waiting);
        let depth = self.lock.unlock_all(Owner::current())?;
        let woken = match limit {
            None => {
                notified.await;
                true
            }
            Some(limit) => notified.timeout(limit).await.is_some(),
        };
        self.lock.lock(depth, true).await;
        Ok(woken)
    }

    /// Wakes up to `n` waiters, oldest first; gives how many were woken.
    pub fn notify(&self, n: usize) -> usize {
        let wakers: Vec<Waker> = {
            let mut waiting = lock(&self.waiting);
            std::iter::from_fn(|| waiting.notify_one().map(|((), waker)| waker))
                .take(n)
                .collect()
        };
        let woken = wakers.len();
        wake_all(wakers);
        woken
    }

    /// Wakes every waiter; gives how many were woken.
    pub fn notify_all(&self) -> usize {
        let wakers = lock(&self.waiting).notify_all();
        let woken = wakers.len();
        wake_all(wakers);
        woken
    }
}

impl Default for Condition {
    fn default() -> Condition {
        Condition::new()
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("locked", &self.is_locked())
            .finish()
    }
}

/// The wait made by [`Condition::acquire`].
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug)]
pub struct ConditionAcquire<'a> {
    cond: &'a Condition,
    raw: RawAcquire<'a>,
}

impl Future for ConditionAcquire<'_> {
    type Output = ConditionGuard;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<ConditionGuard> {
        let this = self.get_mut();
        Pin::new(&mut this.raw)
            .poll(cx)
            .map(|owner| ConditionGuard {
                held: Held::new(&this.cond.lock, owner),
            })
    }
}

/// One level of a [`Condition`]'s lock; released when dropped.
#[must_use = "the level is released as soon as the guard is dropped"]
#[derive(Debug)]
pub struct ConditionGuard {
    held: Held,
}

impl ConditionGuard {
    /// Keeps this level held after the guard is gone, for code that
    /// releases explicitly with [`Condition::release`].
    pub fn leak(mut self) {
        self.held.leak();
    }
}

/// Waiting for a notify.
struct Notified<'a> {
    waiting: &'a Mutex<Waiters>,
    key: Option<WaiterKey>,
}

impl<'a> Notified<'a> {
    /// Queues at once, with a placeholder waker until the first poll.
    fn register(waiting: &'a Mutex<Waiters>) -> Notified<'a> {
        let key = lock(waiting).push_back((), Waker::noop());
        Notified {
            waiting,
            key: Some(key),
        }
    }
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        let Some(key) = this.key else {
            return Poll::Ready(());
        };
        let polled = lock(this.waiting).poll(key, cx.waker());
        if polled.is_ready() {
            this.key = None;
        }
        polled
    }
}

impl Drop for Notified<'_> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else {
            return;
        };
        let mut waiting = lock(self.waiting);
        // Notified as the wait ended (timed out, terminated): give the
        // notification to the next waiter instead of losing it.
        if waiting.remove(key) {
            let next = waiting.notify_one();
            drop(waiting);
            wake_all(next.map(|((), waker)| waker));
        }
    }
}

impl crate::__private::PycosWait for ConditionAcquire<'_> {}
impl crate::__private::PycosWait for Notified<'_> {}
