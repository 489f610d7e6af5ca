//! [`Waiters`]: the FIFO queue of waiting futures behind every primitive.
//!
//! A waiting future registers once and keeps a [`WaiterKey`]. Notifying marks
//! the oldest waiter *notified* and hands its waker back to the caller, who
//! wakes it after dropping the primitive's lock. The entry stays until its
//! future sees the mark (or is dropped), which is what lets a primitive hand
//! something over: a lock grants ownership, a semaphore a permit. A future
//! dropped after being notified (a timeout, a terminated task) tells the
//! primitive through [`Waiters::remove`], so that it can pass the grant on
//! instead of losing it.
//!
//! Entries live in a slab; the order is a deque of `(slot, seq)` pairs that
//! is cleaned lazily (a removed waiter's pair is skipped when it surfaces,
//! recognised by a sequence number never reused). Every operation is O(1)
//! amortised, so a million queued waiters cost no more per operation than
//! one.

use std::collections::VecDeque;
use std::task::{Poll, Waker};

use slab::Slab;

use crate::util::replace_waker;

/// Identifies one registered waiter of one queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WaiterKey {
    slot: usize,
    seq: u64,
}

#[derive(Debug)]
struct Entry<T> {
    seq: u64,
    waker: Waker,
    data: T,
    notified: bool,
}

/// A FIFO queue of waiters, each carrying `data` for whoever notifies it.
#[derive(Debug)]
pub(crate) struct Waiters<T = ()> {
    entries: Slab<Entry<T>>,
    order: VecDeque<WaiterKey>,
    /// Registered entries not yet notified.
    waiting: usize,
    next_seq: u64,
}

impl<T> Default for Waiters<T> {
    fn default() -> Self {
        Waiters {
            entries: Slab::new(),
            order: VecDeque::new(),
            waiting: 0,
            next_seq: 0,
        }
    }
}

impl<T: Clone> Waiters<T> {
    /// Queues a waiter behind the others.
    pub(crate) fn push_back(&mut self, data: T, waker: &Waker) -> WaiterKey {
        let key = self.insert(data, waker);
        self.order.push_back(key);
        key
    }

    /// Queues a waiter ahead of the others (a condition re-acquiring its lock).
    pub(crate) fn push_front(&mut self, data: T, waker: &Waker) -> WaiterKey {
        let key = self.insert(data, waker);
        self.order.push_front(key);
        key
    }

    fn insert(&mut self, data: T, waker: &Waker) -> WaiterKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.waiting += 1;
        let entry = Entry {
            seq,
            waker: waker.clone(),
            data,
            notified: false,
        };
        WaiterKey {
            slot: self.entries.insert(entry),
            seq,
        }
    }

    /// `Ready` (and the entry gone) once the waiter was notified; otherwise
    /// keeps `waker` for the notification.
    pub(crate) fn poll(&mut self, key: WaiterKey, waker: &Waker) -> Poll<()> {
        match self.entries.get_mut(key.slot) {
            Some(entry) if entry.seq == key.seq && !entry.notified => {
                replace_waker(&mut entry.waker, waker);
                Poll::Pending
            }
            Some(entry) if entry.seq == key.seq => {
                self.entries.remove(key.slot);
                self.compact();
                Poll::Ready(())
            }
            // Only the waiter removes its entry, so this is unreachable; an
            // unknown key has nothing left to wait for.
            _ => Poll::Ready(()),
        }
    }

    /// Removes a waiter that stops waiting. `true` if it had already been
    /// notified: the caller must then pass on what the notification granted.
    pub(crate) fn remove(&mut self, key: WaiterKey) -> bool {
        let notified = match self.entries.get(key.slot) {
            Some(entry) if entry.seq == key.seq => self.entries.remove(key.slot).notified,
            _ => return false,
        };
        if !notified {
            self.waiting -= 1;
        }
        self.compact();
        notified
    }

    /// Notifies the oldest waiter not yet notified; gives its data and waker.
    pub(crate) fn notify_one(&mut self) -> Option<(T, Waker)> {
        while let Some(key) = self.order.pop_front() {
            if let Some(entry) = self.entries.get_mut(key.slot)
                && entry.seq == key.seq
            {
                entry.notified = true;
                self.waiting -= 1;
                return Some((entry.data.clone(), entry.waker.clone()));
            }
        }
        None
    }

    /// Notifies every waiter; gives their wakers in queue order.
    pub(crate) fn notify_all(&mut self) -> Vec<Waker> {
        let mut wakers = Vec::with_capacity(self.waiting);
        while let Some((_, waker)) = self.notify_one() {
            wakers.push(waker);
        }
        wakers
    }

    /// Drops stale order pairs once they outnumber the live waiters, so that
    /// waiters that keep timing out do not grow the deque without bound.
    fn compact(&mut self) {
        if self.entries.is_empty() {
            self.order.clear();
        } else if self.order.len() > 2 * self.waiting + 32 {
            let entries = &self.entries;
            self.order.retain(|key| {
                entries
                    .get(key.slot)
                    .is_some_and(|e| e.seq == key.seq && !e.notified)
            });
        }
    }
}

/// Wakes every waker, after the primitive's lock has been dropped.
pub(crate) fn wake_all(wakers: impl IntoIterator<Item = Waker>) {
    for waker in wakers {
        waker.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::Waiters;
    use std::task::{Poll, Waker};

    #[test]
    fn notifies_in_order_and_hands_back_data() {
        let waker = Waker::noop();
        let mut queue = Waiters::default();
        let first = queue.push_back(1, waker);
        let second = queue.push_back(2, waker);
        let front = queue.push_front(0, waker);
        assert_eq!(queue.notify_one().map(|(d, _)| d), Some(0));
        assert_eq!(queue.poll(front, waker), Poll::Ready(()));
        assert!(!queue.remove(first));
        assert_eq!(queue.notify_one().map(|(d, _)| d), Some(2));
        assert!(
            queue.remove(second),
            "a notified waiter reports it on removal"
        );
        assert!(queue.notify_one().is_none());
        assert_eq!(queue.waiting, 0);
    }

    #[test]
    fn timed_out_waiters_do_not_grow_the_order() {
        let waker = Waker::noop();
        let mut queue = Waiters::default();
        let _stays = queue.push_back((), waker);
        for _ in 0..1000 {
            let key = queue.push_back((), waker);
            queue.remove(key);
        }
        assert!(queue.order.len() <= 2 * queue.waiting + 33);
        assert_eq!(queue.notify_all().len(), 1);
    }
}
