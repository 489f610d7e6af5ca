//! [`RLock`]: a lock its holder may acquire again (pycos' `RLock`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::NotOwner;
use super::raw_lock::{Held, Owner, RawAcquire, RawLock};

/// A re-entrant lock: the task holding it may acquire it again without
/// waiting, and it is free again when every acquisition was released.
///
/// Each [`acquire`](RLock::acquire) gives an [`RLockGuard`] for one level;
/// pycos-style code [`leak`](RLockGuard::leak)s the guards and calls
/// [`release`](RLock::release) once per acquisition. Waiters are served in
/// FIFO order; [`.timeout(t)`](crate::WaitExt::timeout) bounds a wait. A
/// cheap, thread-safe handle: clones share the lock.
///
/// # Differences from pycos
///
/// As for [`Lock`](crate::Lock#differences-from-pycos): the lock is handed
/// over to the oldest waiter in strict FIFO order (nobody barges in
/// between), a negative timeout tries once instead of waiting forever, and
/// releasing a lock the task does not hold is a [`NotOwner`] error value
/// (pycos crashes).
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn nested() -> Result<(), pycos::sync::NotOwner> {
///     let rlock = RLock::new();
///     let outer = rlock.acquire().await;
///     let inner = rlock.acquire().await; // the holder does not wait
///     assert_eq!(rlock.depth(), 2);
///     drop(inner);
///     drop(outer);
///     assert!(!rlock.is_locked());
///
///     rlock.acquire().await.leak();
///     rlock.release()?;
///     assert!(rlock.release().is_err(), "released more often than acquired");
///     Ok(())
/// }
/// # let sched = Pycos::new();
/// # sched.spawn(nested()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct RLock {
    raw: Arc<RawLock>,
}

impl RLock {
    /// A new, free lock.
    pub fn new() -> RLock {
        RLock {
            raw: Arc::new(RawLock::new(true)),
        }
    }

    /// Waits for the lock (at once if the calling task holds it); the guard
    /// releases this one level when dropped.
    pub fn acquire(&self) -> RLockAcquire<'_> {
        RLockAcquire {
            lock: self,
            raw: self.raw.lock(1, false),
        }
    }

    /// Takes the lock if it is free or held by the calling task.
    pub fn try_acquire(&self) -> Option<RLockGuard> {
        let me = Owner::current();
        self.raw.try_lock(me).then(|| RLockGuard {
            held: Held::new(&self.raw, me),
        })
    }

    /// Releases one level held by the calling task; at the last one the
    /// oldest waiter gets the lock.
    ///
    /// # Errors
    ///
    /// [`NotOwner`] if the calling task does not hold the lock (including
    /// releasing more often than acquiring); nothing changes then.
    pub fn release(&self) -> Result<(), NotOwner> {
        self.raw.unlock(Owner::current())
    }

    /// Whether some task holds the lock.
    pub fn is_locked(&self) -> bool {
        self.raw.is_locked()
    }

    /// How many times the calling task holds the lock (0 if it does not).
    pub fn depth(&self) -> usize {
        self.raw.depth_of(Owner::current())
    }
}

impl Default for RLock {
    fn default() -> RLock {
        RLock::new()
    }
}

impl fmt::Debug for RLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLock")
            .field("locked", &self.is_locked())
            .finish()
    }
}

/// The wait made by [`RLock::acquire`].
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug)]
pub struct RLockAcquire<'a> {
    lock: &'a RLock,
    raw: RawAcquire<'a>,
}

impl Future for RLockAcquire<'_> {
    type Output = RLockGuard;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<RLockGuard> {
        let this = self.get_mut();
        Pin::new(&mut this.raw).poll(cx).map(|owner| RLockGuard {
            held: Held::new(&this.lock.raw, owner),
        })
    }
}

/// One level of an [`RLock`]; released when dropped.
#[must_use = "the level is released as soon as the guard is dropped"]
pub struct RLockGuard {
    held: Held,
}

impl RLockGuard {
    /// Keeps this level held after the guard is gone, for code that
    /// releases explicitly with [`RLock::release`].
    pub fn leak(mut self) {
        self.held.leak();
    }
}

impl fmt::Debug for RLockGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLockGuard").finish_non_exhaustive()
    }
}

impl crate::__private::PycosWait for RLockAcquire<'_> {}
