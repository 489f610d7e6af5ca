//! [`RawLock`]: the owned, optionally re-entrant lock under [`Lock`],
//! [`RLock`] and [`Condition`].
//!
//! Ownership is handed over: releasing a lock that has waiters makes the
//! oldest waiter the owner before it even runs, so nobody can barge in
//! between and the wake order is strictly FIFO (pycos lets a task that
//! acquires in between win; FIFO is what its docs promise). The invariant
//! "no owner ⇒ no waiter" follows, which is why a free lock is taken at
//! once without looking at the queue.
//!
//! [`Lock`]: crate::Lock
//! [`RLock`]: crate::RLock
//! [`Condition`]: crate::Condition

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::thread::{self, ThreadId};

use super::NotOwner;
use super::waiters::{WaiterKey, Waiters};
use crate::TaskId;
use crate::runtime::{context, coop};

/// Who holds a lock: the running task, or a plain thread (a lock used by a
/// thread outside any scheduler, e.g. with another executor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Task(TaskId),
    Thread(ThreadId),
}

impl Owner {
    pub(crate) fn current() -> Owner {
        context::current_task_id()
            .map(Owner::Task)
            .unwrap_or_else(|| Owner::Thread(thread::current().id()))
    }
}

/// What a waiter is given with the lock: its identity and its depth.
#[derive(Debug, Clone, Copy)]
struct Grant {
    owner: Owner,
    depth: usize,
}

#[derive(Debug, Default)]
struct State {
    owner: Option<Owner>,
    depth: usize,
    waiters: Waiters<Grant>,
}

impl State {
    /// Takes the lock for `me` if it is free (or re-entered).
    fn take(&mut self, me: Owner, depth: usize, reentrant: bool) -> bool {
        match self.owner {
            None => {
                self.owner = Some(me);
                self.depth = depth;
                true
            }
            Some(owner) if reentrant && owner == me => {
                self.depth += depth;
                true
            }
            Some(_) => false,
        }
    }

    /// Frees the lock: the oldest waiter becomes the owner, if any.
    fn hand_on(&mut self) -> Option<Waker> {
        match self.waiters.notify_one() {
            Some((grant, waker)) => {
                self.owner = Some(grant.owner);
                self.depth = grant.depth;
                Some(waker)
            }
            None => {
                self.owner = None;
                self.depth = 0;
                None
            }
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct RawLock {
    reentrant: bool,
    state: Mutex<State>,
}

impl RawLock {
    pub(crate) fn new(reentrant: bool) -> RawLock {
        RawLock {
            reentrant,
            state: Mutex::default(),
        }
    }

    /// Poisoning is recovered from: no user code runs under this mutex.
    fn state(&self) -> MutexGuard<'_, State> {
        crate::util::lock(&self.state)
    }

    pub(crate) fn try_lock(&self, me: Owner) -> bool {
        self.state().take(me, 1, self.reentrant)
    }

    /// Waits for the lock; it is then held `depth` times. `front` queues
    /// ahead of other waiters.
    pub(crate) fn lock(&self, depth: usize, front: bool) -> RawAcquire<'_> {
        RawAcquire {
            lock: self,
            depth,
            front,
            me: None,
            key: None,
        }
    }

    /// Releases one level held by `me`.
    pub(crate) fn unlock(&self, me: Owner) -> Result<(), NotOwner> {
        let mut state = self.state();
        if state.owner != Some(me) {
            return Err(NotOwner);
        }
        state.depth -= 1;
        let waker = if state.depth == 0 {
            state.hand_on()
        } else {
            None
        };
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }

    /// Releases every level held by `me`; gives the depth to restore later.
    pub(crate) fn unlock_all(&self, me: Owner) -> Result<usize, NotOwner> {
        let mut state = self.state();
        if state.owner != Some(me) {
            return Err(NotOwner);
        }
        let depth = state.depth;
        let waker = state.hand_on();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(depth)
    }

    pub(crate) fn is_locked(&self) -> bool {
        self.state().owner.is_some()
    }

    /// How many times the calling task (or thread) holds the lock.
    pub(crate) fn depth_of(&self, me: Owner) -> usize {
        let state = self.state();
        if state.owner == Some(me) {
            state.depth
        } else {
            0
        }
    }
}

/// The wait for a [`RawLock`]; gives the owner it acquired for.
#[derive(Debug)]
pub(crate) struct RawAcquire<'a> {
    lock: &'a RawLock,
    depth: usize,
    front: bool,
    /// Fixed at the first poll: the task that polls owns the result.
    me: Option<Owner>,
    key: Option<WaiterKey>,
}

impl Future for RawAcquire<'_> {
    type Output = Owner;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Owner> {
        // Charged first, with no lock held: a free lock (or one handed over)
        // is taken only on a poll that may complete.
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        let me = *this.me.get_or_insert_with(Owner::current);
        let mut state = this.lock.state();
        if let Some(key) = this.key {
            let polled = state.waiters.poll(key, cx.waker());
            if polled.is_ready() {
                this.key = None;
            }
            return polled.map(|()| me);
        }
        if state.take(me, this.depth, this.lock.reentrant) {
            return Poll::Ready(me);
        }
        let grant = Grant {
            owner: me,
            depth: this.depth,
        };
        this.key = Some(if this.front {
            state.waiters.push_front(grant, cx.waker())
        } else {
            state.waiters.push_back(grant, cx.waker())
        });
        Poll::Pending
    }
}

impl Drop for RawAcquire<'_> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else {
            return;
        };
        let mut state = self.lock.state();
        // Granted but never taken (timed out or terminated at that moment):
        // pass the lock on rather than leave it owned by nobody running.
        if state.waiters.remove(key) {
            let waker = state.hand_on();
            drop(state);
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }
}

/// One acquisition of a [`RawLock`], released when dropped unless leaked:
/// the body of every lock guard.
#[derive(Debug)]
pub(crate) struct Held {
    /// `None` once leaked.
    raw: Option<Arc<RawLock>>,
    owner: Owner,
}

impl Held {
    pub(crate) fn new(raw: &Arc<RawLock>, owner: Owner) -> Held {
        Held {
            raw: Some(raw.clone()),
            owner,
        }
    }

    /// Keeps the acquisition after the guard is gone.
    pub(crate) fn leak(&mut self) {
        self.raw = None;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        // Released for the task that acquired it, wherever the guard is
        // dropped. It fails only when the lock was already released
        // explicitly (or a condition wait ended without re-acquiring).
        if let Some(raw) = self.raw.take()
            && raw.unlock(self.owner).is_err()
        {
            tracing::debug!("lock guard dropped after its lock was released");
        }
    }
}
