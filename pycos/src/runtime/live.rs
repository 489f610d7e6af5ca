//! Counting a scheduler's live non-daemon tasks, for `join`.
//!
//! Every task start and end (and daemon change) updates the count, so it
//! is an atomic rather than a mutex-protected number: starting and ending
//! a task takes no lock. The mutex and condition variable are only for the
//! threads waiting in `join`: the decrement that reaches zero takes the
//! mutex before notifying, and a waiter checks the count under it, so a
//! waiter either sees zero or is already waiting when the notification
//! comes. Limit: a waiter returns at a moment when the count is zero; a
//! task started after that moment by another thread is not waited for.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::util::{lock, unpoison};

#[derive(Debug, Default)]
pub(crate) struct Live {
    count: AtomicUsize,
    lock: Mutex<()>,
    idle: Condvar,
}

impl Live {
    pub(crate) fn started(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn ended(&self) {
        let before = self
            .count
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_sub(1))
            })
            .unwrap_or_else(|n| n);
        if before <= 1 {
            let _guard = lock(&self.lock);
            self.idle.notify_all();
        }
    }

    /// Waits until the count is zero; `false` if `limit` passed first.
    pub(crate) fn wait_idle(&self, limit: Option<Duration>) -> bool {
        let deadline = limit.and_then(|limit| Instant::now().checked_add(limit));
        let mut guard = lock(&self.lock);
        while self.count.load(Ordering::Acquire) > 0 {
            guard = match (limit, deadline) {
                (None, _) | (Some(_), None) => unpoison(self.idle.wait(guard)),
                (Some(_), Some(deadline)) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return false;
                    }
                    unpoison(self.idle.wait_timeout(guard, left)).0
                }
            };
        }
        true
    }
}
