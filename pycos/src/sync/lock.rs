//! [`Lock`]: mutual exclusion between tasks (pycos' `Lock`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::NotOwner;
use super::raw_lock::{Held, Owner, RawAcquire, RawLock};

/// A lock held by one task at a time; not re-entrant (see
/// [`RLock`](crate::RLock)).
///
/// [`acquire`](Lock::acquire) waits for the lock and gives a [`LockGuard`]
/// that releases it when dropped. Waiters get the lock in the order they
/// asked for it. Like every wait, `acquire` takes a time limit with
/// [`.timeout(t)`](crate::WaitExt::timeout) (`None` on timeout; a limit of
/// zero tries once, pycos' `blocking=False`). A `Lock` is a cheap handle:
/// clones share the lock, and it may be used from any thread.
///
/// The holder is the task that acquired the lock: a task that acquires it
/// again waits for itself forever (bound such waits with a timeout).
///
/// # Differences from pycos
///
/// - **Strict FIFO hand-over.** A release with waiters makes the oldest
///   waiter the owner before it even runs, so a task that calls `acquire`
///   in between waits its turn behind them. pycos frees the lock and wakes
///   the first waiter, and a task that acquires before that waiter runs
///   takes the lock ahead of it.
/// - **Negative timeouts do not mean "forever".** pycos'
///   `acquire(timeout=-1)` (its default) waits without limit; here
///   `acquire().timeout(-1.0)` tries once, as every wait does for a limit
///   of zero or less (see [`IntoTimeout`](crate::IntoTimeout)). Write
///   `acquire().await` for no limit.
/// - **Releasing a lock one does not hold** is a [`NotOwner`] error value,
///   not an exception; a guard releases on drop, so an explicit
///   [`release`](Lock::release) is needed only after [`LockGuard::leak`].
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn one_at_a_time() {
///     let lock = Lock::new();
///     let guard = lock.acquire().await;
///     assert!(lock.try_acquire().is_none());
///     // Another waiter gives up after 0.5 s.
///     assert!(lock.acquire().timeout(0.5).await.is_none());
///     drop(guard);
///     assert!(lock.acquire().timeout(0.0).await.is_some());
/// }
/// # let sched = Pycos::builder().virtual_clock(true).build()?;
/// # sched.spawn(one_at_a_time()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// pycos-style code that releases explicitly keeps the lock past its guard
/// with [`LockGuard::leak`] and calls [`release`](Lock::release):
///
/// ```
/// # use pycos::prelude::*;
/// #[task]
/// fn explicit() -> Result<(), pycos::sync::NotOwner> {
///     let lock = pycos::Lock::new();
///     lock.acquire().await.leak();
///     assert!(lock.is_locked());
///     lock.release()?;
///     assert!(lock.release().is_err(), "not held any more");
///     Ok(())
/// }
/// # let sched = Pycos::new();
/// # sched.spawn(explicit()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct Lock {
    raw: Arc<RawLock>,
}

impl Lock {
    /// A new, free lock.
    pub fn new() -> Lock {
        Lock::default()
    }

    /// Waits for the lock; the guard releases it when dropped.
    pub fn acquire(&self) -> LockAcquire<'_> {
        LockAcquire {
            lock: self,
            raw: self.raw.lock(1, false),
        }
    }

    /// Takes the lock if it is free, without waiting.
    pub fn try_acquire(&self) -> Option<LockGuard> {
        let me = Owner::current();
        self.raw.try_lock(me).then(|| LockGuard {
            held: Held::new(&self.raw, me),
        })
    }

    /// Releases the lock held by the calling task (after
    /// [`LockGuard::leak`]); the oldest waiter gets it.
    ///
    /// # Errors
    ///
    /// [`NotOwner`] if the calling task does not hold the lock; nothing
    /// changes then.
    pub fn release(&self) -> Result<(), NotOwner> {
        self.raw.unlock(Owner::current())
    }

    /// Whether some task holds the lock.
    pub fn is_locked(&self) -> bool {
        self.raw.is_locked()
    }
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.is_locked())
            .finish()
    }
}

/// The wait made by [`Lock::acquire`].
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug)]
pub struct LockAcquire<'a> {
    lock: &'a Lock,
    raw: RawAcquire<'a>,
}

impl Future for LockAcquire<'_> {
    type Output = LockGuard;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard> {
        let this = self.get_mut();
        Pin::new(&mut this.raw).poll(cx).map(|owner| LockGuard {
            held: Held::new(&this.lock.raw, owner),
        })
    }
}

/// Holds a [`Lock`]; releases it when dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard {
    held: Held,
}

impl LockGuard {
    /// Keeps the lock held after the guard is gone, for code that releases
    /// it explicitly with [`Lock::release`] (as pycos code does).
    pub fn leak(mut self) {
        self.held.leak();
    }
}

impl fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard").finish_non_exhaustive()
    }
}

impl crate::__private::PycosWait for LockAcquire<'_> {}
