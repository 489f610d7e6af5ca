//! [`Semaphore`]: a counter of permits tasks wait for (pycos' `Semaphore`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use super::waiters::{WaiterKey, Waiters};
use crate::runtime::coop;

/// Permits and their waiters. Invariant: permits are only kept while nobody
/// waits (a release with waiters hands its permit to the oldest one).
#[derive(Debug, Default)]
struct State {
    permits: usize,
    waiters: Waiters,
}

impl State {
    fn release(&mut self) -> Option<Waker> {
        match self.waiters.notify_one() {
            Some(((), waker)) => Some(waker),
            None => {
                self.permits += 1;
                None
            }
        }
    }
}

/// A set of permits: [`acquire`](Semaphore::acquire) waits for one,
/// [`release`](Semaphore::release) returns one.
///
/// Waiters get permits in FIFO order. `acquire` gives a
/// [`SemaphorePermit`] that returns its permit when dropped;
/// [`forget`](SemaphorePermit::forget) keeps it taken, for pycos-style code
/// that calls `release` itself. Any task or thread may release, and there is
/// no upper bound, as in pycos. A cheap handle: clones share the permits.
///
/// # Differences from pycos
///
/// - **`Semaphore::new(0)` is allowed**: the first `acquire` then waits for
///   a `release`, which makes the semaphore a counting signal. pycos asserts
///   `value >= 1`.
/// - **Acquiring takes a time limit**,
///   [`.timeout(t)`](crate::WaitExt::timeout), as every wait does; pycos'
///   `acquire` has none (only `blocking=False`, which is a limit of zero
///   here).
/// - **Strict FIFO hand-over**: a release with waiters gives its permit to
///   the oldest one, never to a task that asks in between.
///
/// # Examples
///
/// At most two tasks in the section at a time:
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn worker(slots: Semaphore, task: TaskCtx) -> usize {
///     let _permit = slots.acquire().await;
///     let inside = 2 - slots.available_permits();
///     task.sleep(1.0).await;
///     inside
/// }
///
/// #[task]
/// fn bounded() {
///     let slots = Semaphore::new(2);
///     let workers: Vec<_> = (0..5).map(|_| Task::new(worker(slots.clone()))).collect();
///     for w in workers {
///         assert!(w.finish().await.unwrap() <= 2);
///     }
///     assert_eq!(slots.available_permits(), 2);
/// }
/// # let sched = Pycos::builder().virtual_clock(true).build()?;
/// # sched.spawn(bounded()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Semaphore {
    state: Arc<Mutex<State>>,
}

impl Semaphore {
    /// A semaphore with `permits` permits. pycos requires at least one;
    /// zero is allowed here: the first `acquire` then waits for a `release`,
    /// which makes the semaphore a counting signal.
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            state: Arc::new(Mutex::new(State {
                permits,
                waiters: Waiters::default(),
            })),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        crate::util::lock(&self.state)
    }

    /// Waits for a permit; the permit returns it when dropped.
    pub fn acquire(&self) -> SemaphoreAcquire<'_> {
        SemaphoreAcquire {
            semaphore: self,
            key: None,
        }
    }

    /// Takes a permit if one is free, without waiting.
    pub fn try_acquire(&self) -> Option<SemaphorePermit> {
        let mut state = self.state();
        (state.permits > 0).then(|| {
            state.permits -= 1;
            SemaphorePermit {
                semaphore: Some(self.clone()),
            }
        })
    }

    /// Returns a permit (one taken with [`SemaphorePermit::forget`], or a
    /// new one): the oldest waiter gets it.
    pub fn release(&self) {
        let waker = self.state().release();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Permits free right now.
    pub fn available_permits(&self) -> usize {
        self.state().permits
    }
}

impl Default for Semaphore {
    /// One permit, as pycos' `Semaphore()`.
    fn default() -> Semaphore {
        Semaphore::new(1)
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("permits", &self.available_permits())
            .finish()
    }
}

/// The wait made by [`Semaphore::acquire`].
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug)]
pub struct SemaphoreAcquire<'a> {
    semaphore: &'a Semaphore,
    key: Option<WaiterKey>,
}

impl Future for SemaphoreAcquire<'_> {
    type Output = SemaphorePermit;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<SemaphorePermit> {
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        let mut state = this.semaphore.state();
        let taken = match this.key {
            Some(key) => state.waiters.poll(key, cx.waker()).is_ready(),
            None if state.permits > 0 => {
                state.permits -= 1;
                true
            }
            None => {
                this.key = Some(state.waiters.push_back((), cx.waker()));
                false
            }
        };
        if !taken {
            return Poll::Pending;
        }
        this.key = None;
        Poll::Ready(SemaphorePermit {
            semaphore: Some(this.semaphore.clone()),
        })
    }
}

impl Drop for SemaphoreAcquire<'_> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else {
            return;
        };
        let mut state = self.semaphore.state();
        // Handed a permit as the wait ended: pass it on.
        if state.waiters.remove(key) {
            let waker = state.release();
            drop(state);
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }
}

/// A permit of a [`Semaphore`]; returned when dropped.
#[must_use = "the permit is returned as soon as it is dropped"]
pub struct SemaphorePermit {
    /// `None` once forgotten.
    semaphore: Option<Semaphore>,
}

impl SemaphorePermit {
    /// Keeps the permit taken; [`Semaphore::release`] returns it later.
    pub fn forget(mut self) {
        self.semaphore = None;
    }
}

impl Drop for SemaphorePermit {
    fn drop(&mut self) {
        if let Some(semaphore) = self.semaphore.take() {
            semaphore.release();
        }
    }
}

impl fmt::Debug for SemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit").finish_non_exhaustive()
    }
}

impl crate::__private::PycosWait for SemaphoreAcquire<'_> {}
