//! The timer queue: a binary heap of deadlines with lazy deletion.
//!
//! Insert is O(log n); cancel is O(1) (the entry is freed from a slab and its
//! heap node is skipped when it surfaces, recognised by a sequence number that
//! is never reused); firing is O(log n) per timer. A heap (rather than a
//! timing wheel) keeps exact deadlines, which the virtual clock needs to jump
//! precisely, and stays cheap with a million pending timers: 24 bytes of heap
//! node plus a slab entry each.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::task::Waker;

use slab::Slab;

/// Identifies one armed timer, for cancelling or re-arming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimerKey {
    slot: usize,
    seq: u64,
}

#[derive(Debug)]
struct Entry {
    seq: u64,
    waker: Waker,
}

#[derive(Debug, Default)]
pub(crate) struct Timers {
    heap: BinaryHeap<Reverse<(u64, u64, usize)>>,
    entries: Slab<Entry>,
    next_seq: u64,
}

impl Timers {
    /// Arms a timer that wakes `waker` at `deadline`.
    pub(crate) fn insert(&mut self, deadline: u64, waker: Waker) -> TimerKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = self.entries.insert(Entry { seq, waker });
        self.heap.push(Reverse((deadline, seq, slot)));
        TimerKey { slot, seq }
    }

    /// Replaces the waker of an armed timer (a future polled with a new waker).
    pub(crate) fn set_waker(&mut self, key: TimerKey, waker: &Waker) {
        if let Some(entry) = self.entries.get_mut(key.slot) {
            if entry.seq == key.seq && !entry.waker.will_wake(waker) {
                entry.waker = waker.clone();
            }
        }
    }

    /// Disarms a timer; a key that already fired is ignored.
    pub(crate) fn cancel(&mut self, key: TimerKey) {
        if self.entries.get(key.slot).is_some_and(|e| e.seq == key.seq) {
            self.entries.remove(key.slot);
        }
        if self.entries.is_empty() {
            self.heap.clear();
        }
    }

    /// The earliest live deadline.
    pub(crate) fn next_deadline(&mut self) -> Option<u64> {
        while let Some(Reverse((deadline, seq, slot))) = self.heap.peek().copied() {
            if self.is_live(seq, slot) {
                return Some(deadline);
            }
            self.heap.pop();
        }
        None
    }

    /// Wakes every timer due at `now`; returns how many fired.
    pub(crate) fn fire(&mut self, now: u64) -> usize {
        let mut fired = 0;
        while let Some(Reverse((deadline, seq, slot))) = self.heap.peek().copied() {
            if deadline > now {
                break;
            }
            self.heap.pop();
            if self.is_live(seq, slot) {
                self.entries.remove(slot).waker.wake();
                fired += 1;
            }
        }
        fired
    }

    fn is_live(&self, seq: u64, slot: usize) -> bool {
        self.entries.get(slot).is_some_and(|e| e.seq == seq)
    }
}

#[cfg(test)]
mod tests {
    use super::Timers;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Wake, Waker};

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn fires_in_deadline_order_and_skips_cancelled() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut timers = Timers::default();
        let late = timers.insert(30, waker.clone());
        let cancelled = timers.insert(10, waker.clone());
        timers.insert(20, waker);
        timers.cancel(cancelled);
        assert_eq!(timers.next_deadline(), Some(20));
        assert_eq!(timers.fire(25), 1);
        assert_eq!(timers.next_deadline(), Some(30));
        timers.cancel(late);
        assert_eq!(timers.next_deadline(), None);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
    }
}
