//! The timer queue: deadlines bucketed by tick, a small heap per bucket,
//! lazy deletion.
//!
//! Deadlines are grouped into buckets of [`TICK`] nanoseconds (about a
//! millisecond) in a `BTreeMap`; inside a bucket a binary heap orders them
//! exactly, by deadline and then by arming order. Insert is a map lookup
//! among the few live buckets plus a push onto one small heap; firing pops
//! the first bucket. Cancel is O(1): the entry is freed from a slab and its
//! heap node is skipped when it surfaces, recognised by a sequence number
//! that is never reused.
//!
//! Memory follows the armed timers, not the cancelled ones: when the heaps
//! hold more cancelled nodes than live ones (and more than a few thousand),
//! they are compacted in one pass, which the cancels since the last pass
//! paid for; the wakers live in pages of [`PAGE`] slots, and a page whose
//! timers are all gone is freed.
//!
//! Why not one heap: with a million random timers a single 24 MB heap makes
//! every push and pop walk 20 levels of cache misses; buckets of a few
//! thousand nodes stay in cache and need about 12. Why not a timing wheel:
//! deadlines stay exact, which the virtual clock needs to jump precisely,
//! and order among equal deadlines stays first-armed first.
//!
//! Firing hands the due wakers to the caller, which wakes them after
//! releasing the queue (as tokio's timer driver does): a woken waker may
//! arm or cancel timers.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::num::NonZeroU64;
use std::task::Waker;

use crate::util::replace_waker;

/// Bucket width in clock units (nanoseconds): 2^20 ns ≈ 1.05 ms.
const TICK_SHIFT: u32 = 20;

/// Identifies one armed timer, for cancelling or re-arming it. The
/// sequence number is never zero, so an `Option<TimerKey>` (held by every
/// pending `Timeout`) takes 16 bytes rather than 24.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimerKey {
    slot: usize,
    seq: NonZeroU64,
}

#[derive(Debug)]
struct Entry {
    seq: u64,
    waker: Waker,
}

/// A heap node: deadline, arming order, slab slot.
type Node = Reverse<(u64, u64, usize)>;

#[derive(Debug, Default)]
pub(crate) struct Timers {
    buckets: BTreeMap<u64, BinaryHeap<Node>>,
    /// Emptied bucket heaps, kept for their capacity.
    spare: Vec<BinaryHeap<Node>>,
    entries: Entries,
    next_seq: u64,
    /// Heap nodes whose timer was cancelled (upper bound).
    dead: usize,
    /// The list [`take_due`](Timers::take_due) fills, kept for its capacity.
    due: Vec<Waker>,
}

/// Cancelled nodes tolerated before a compaction is considered.
const COMPACT_ABOVE: usize = 4096;

/// Wakers whose room the due list keeps between turns.
const KEEP_DUE: usize = 1024;

impl Timers {
    /// Arms a timer that wakes `waker` at `deadline`.
    pub(crate) fn insert(&mut self, deadline: u64, waker: Waker) -> TimerKey {
        self.next_seq += 1;
        let seq = self.next_seq;
        let slot = self.entries.insert(Entry { seq, waker });
        let spare = &mut self.spare;
        self.buckets
            .entry(deadline >> TICK_SHIFT)
            .or_insert_with(|| spare.pop().unwrap_or_default())
            .push(Reverse((deadline, seq, slot)));
        TimerKey {
            slot,
            seq: NonZeroU64::new(seq).expect("sequence numbers start at 1"),
        }
    }

    /// Replaces the waker of an armed timer (a future polled with a new waker).
    pub(crate) fn set_waker(&mut self, key: TimerKey, waker: &Waker) {
        if let Some(entry) = self.entries.get_mut(key.slot)
            && entry.seq == key.seq.get()
        {
            replace_waker(&mut entry.waker, waker);
        }
    }

    /// Disarms a timer; a key that already fired is ignored.
    pub(crate) fn cancel(&mut self, key: TimerKey) {
        if self
            .entries
            .get(key.slot)
            .is_some_and(|e| e.seq == key.seq.get())
        {
            self.entries.remove(key.slot);
            self.dead += 1;
        }
        if self.entries.is_empty() {
            while let Some((_, heap)) = self.buckets.pop_first() {
                self.recycle(heap);
            }
            self.dead = 0;
        } else if self.dead > COMPACT_ABOVE && self.dead > self.entries.len() {
            self.compact();
        }
    }

    /// Drops every cancelled node and gives back the heaps' spare memory.
    fn compact(&mut self) {
        let entries = &self.entries;
        self.buckets.retain(|_, heap| {
            heap.retain(|&Reverse((_, seq, slot))| is_live(entries, seq, slot));
            if heap.capacity() > 2 * heap.len() {
                heap.shrink_to_fit();
            }
            !heap.is_empty()
        });
        self.spare.clear();
        self.dead = 0;
    }

    /// The earliest live deadline.
    pub(crate) fn next_deadline(&mut self) -> Option<u64> {
        loop {
            let mut first = self.buckets.first_entry()?;
            let heap = first.get_mut();
            while let Some(&Reverse((deadline, seq, slot))) = heap.peek() {
                if is_live(&self.entries, seq, slot) {
                    return Some(deadline);
                }
                heap.pop();
                self.dead = self.dead.saturating_sub(1);
            }
            let heap = first.remove();
            self.recycle(heap);
        }
    }

    /// Disarms every timer due at `now` and returns their wakers in firing
    /// order. The caller wakes them once it no longer borrows the queue (a
    /// woken waker may arm or cancel timers), then hands the list back with
    /// [`give_back`](Timers::give_back) so the next turn reuses its memory.
    pub(crate) fn take_due(&mut self, now: u64) -> Vec<Waker> {
        let mut due = std::mem::take(&mut self.due);
        while let Some(mut first) = self.buckets.first_entry() {
            if *first.key() > now >> TICK_SHIFT {
                break;
            }
            let heap = first.get_mut();
            while let Some(&Reverse((deadline, seq, slot))) = heap.peek() {
                if deadline > now {
                    return due;
                }
                heap.pop();
                match is_live(&self.entries, seq, slot) {
                    true => {
                        if let Some(entry) = self.entries.remove(slot) {
                            due.push(entry.waker);
                        }
                    }
                    false => self.dead = self.dead.saturating_sub(1),
                }
            }
            let heap = first.remove();
            self.recycle(heap);
        }
        due
    }

    /// Takes back the (woken, now empty) list of [`take_due`](Timers::take_due),
    /// keeping the room of at most [`KEEP_DUE`] wakers: memory follows the
    /// armed timers, not the largest burst that ever fired.
    pub(crate) fn give_back(&mut self, mut due: Vec<Waker>) {
        due.clear();
        due.shrink_to(KEEP_DUE);
        if due.capacity() > self.due.capacity() {
            self.due = due;
        }
    }

    fn recycle(&mut self, mut heap: BinaryHeap<Node>) {
        const KEEP: usize = 16;
        const KEEP_CAPACITY: usize = 4096;
        if self.spare.len() < KEEP && heap.capacity() <= KEEP_CAPACITY {
            heap.clear();
            self.spare.push(heap);
        }
    }
}

fn is_live(entries: &Entries, seq: u64, slot: usize) -> bool {
    entries.get(slot).is_some_and(|e| e.seq == seq)
}

/// Slots per page of [`Entries`].
const PAGE: usize = 1024;

/// The armed timers' wakers, by slot, in pages of [`PAGE`] slots. A
/// `Slab<Entry>` would take 32 bytes a slot (its vacant/occupied tag does
/// not fit in the entry) and keep its peak length for ever; here a vacant
/// slot is `None` in the waker's niche (24 bytes), and a page whose slots
/// are all vacant is freed. Slot `s` is slot `s % PAGE` of page `s / PAGE`.
#[derive(Debug, Default)]
struct Entries {
    pages: Vec<Option<Box<Page>>>,
    /// Pages that had a vacant slot when listed (checked when used).
    open: Vec<usize>,
    /// Indices of freed pages, for the next new page.
    unused: Vec<usize>,
    len: usize,
}

#[derive(Debug)]
struct Page {
    slots: Vec<Option<Entry>>,
    /// Vacated slots; slots from `slots.len()` to `PAGE` were never used.
    free: Vec<u16>,
    used: usize,
    listed: bool,
}

impl Page {
    fn new() -> Page {
        Page {
            slots: Vec::new(),
            free: Vec::new(),
            used: 0,
            listed: true,
        }
    }

    fn has_room(&self) -> bool {
        self.used < PAGE
    }

    fn insert(&mut self, entry: Entry) -> usize {
        self.used += 1;
        match self.free.pop() {
            Some(at) => {
                self.slots[usize::from(at)] = Some(entry);
                usize::from(at)
            }
            None => {
                self.slots.push(Some(entry));
                self.slots.len() - 1
            }
        }
    }
}

impl Entries {
    fn insert(&mut self, entry: Entry) -> usize {
        self.len += 1;
        let page = self.open_page();
        let Some(Some(open)) = self.pages.get_mut(page) else {
            unreachable!("open_page returns a live page");
        };
        page * PAGE + open.insert(entry)
    }

    /// A page with a vacant slot, made if none has one.
    fn open_page(&mut self) -> usize {
        while let Some(&page) = self.open.last() {
            if let Some(Some(open)) = self.pages.get_mut(page) {
                if open.has_room() {
                    return page;
                }
                open.listed = false;
            }
            self.open.pop();
        }
        let page = match self.unused.pop() {
            Some(page) => {
                self.pages[page] = Some(Box::new(Page::new()));
                page
            }
            None => {
                self.pages.push(Some(Box::new(Page::new())));
                self.pages.len() - 1
            }
        };
        self.open.push(page);
        page
    }

    fn get(&self, slot: usize) -> Option<&Entry> {
        let page = self.pages.get(slot / PAGE)?.as_ref()?;
        page.slots.get(slot % PAGE)?.as_ref()
    }

    fn get_mut(&mut self, slot: usize) -> Option<&mut Entry> {
        let page = self.pages.get_mut(slot / PAGE)?.as_mut()?;
        page.slots.get_mut(slot % PAGE)?.as_mut()
    }

    /// Frees an occupied slot; `None` if it was vacant.
    fn remove(&mut self, slot: usize) -> Option<Entry> {
        let (index, at) = (slot / PAGE, slot % PAGE);
        let page = self.pages.get_mut(index)?.as_mut()?;
        let entry = page.slots.get_mut(at)?.take()?;
        self.len -= 1;
        page.used -= 1;
        if page.used == 0 {
            self.pages[index] = None;
            self.unused.push(index);
            if self.len == 0 {
                self.pages.clear();
                self.open.clear();
                self.unused.clear();
            }
        } else {
            page.free.push(u16::try_from(at).expect("PAGE fits in u16"));
            if !page.listed {
                page.listed = true;
                self.open.push(index);
            }
        }
        Some(entry)
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn len(&self) -> usize {
        self.len
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

    /// Every armed timer holds one entry (a million sleeping tasks hold a
    /// million); a vacant slot is `None` in the waker's niche, so a page
    /// slot costs no more than the entry.
    #[test]
    fn entry_is_three_words() {
        assert_eq!(size_of::<super::Entry>(), 24);
        assert_eq!(size_of::<Option<super::Entry>>(), 24);
        assert_eq!(size_of::<Option<super::TimerKey>>(), 16);
    }

    #[test]
    fn equal_deadlines_fire_in_arming_order_across_buckets() {
        use std::sync::Mutex;
        struct Record(usize, Arc<Mutex<Vec<usize>>>);
        impl Wake for Record {
            fn wake(self: Arc<Self>) {
                self.1.lock().unwrap().push(self.0);
            }
        }
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut timers = Timers::default();
        let tick = 1_u64 << super::TICK_SHIFT;
        let deadlines = [3 * tick + 5, tick, 3 * tick + 5, 3 * tick, 10 * tick];
        for (i, deadline) in deadlines.into_iter().enumerate() {
            timers.insert(deadline, Waker::from(Arc::new(Record(i, order.clone()))));
        }
        assert_eq!(timers.next_deadline(), Some(tick));
        assert_eq!(timers.fire(3 * tick + 4), 2);
        assert_eq!(timers.next_deadline(), Some(3 * tick + 5));
        assert_eq!(timers.fire(u64::MAX), 3);
        assert_eq!(*order.lock().unwrap(), [1, 3, 0, 2, 4]);
        assert_eq!(timers.next_deadline(), None);
    }

    impl Timers {
        /// Wakes every timer due at `now`, as the scheduler does; how many fired.
        fn fire(&mut self, now: u64) -> usize {
            let mut due = self.take_due(now);
            let fired = due.len();
            due.drain(..).for_each(Waker::wake);
            self.give_back(due);
            fired
        }

        /// Heap nodes and waker pages held.
        fn footprint(&self) -> (usize, usize) {
            let nodes = self
                .buckets
                .values()
                .map(std::collections::BinaryHeap::len)
                .sum();
            let pages = self.entries.pages.iter().flatten().count();
            (nodes, pages)
        }
    }

    #[test]
    fn cancelled_timers_do_not_keep_memory() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut timers = Timers::default();
        let hour = 3_600_000_000_000;
        let keeper = timers.insert(hour, waker.clone());
        for round in 0..5 {
            let keys: Vec<_> = (0..100_000)
                .map(|i| timers.insert(hour + round * 100_000 + i, waker.clone()))
                .collect();
            for key in keys {
                timers.cancel(key);
            }
            let (nodes, pages) = timers.footprint();
            assert!(
                nodes <= 2 * super::COMPACT_ABOVE + 2,
                "round {round}: {nodes} heap nodes kept for 1 armed timer"
            );
            assert!(
                pages <= 2,
                "round {round}: {pages} waker pages kept for 1 armed timer"
            );
        }
        assert_eq!(timers.next_deadline(), Some(hour));
        timers.cancel(keeper);
        assert_eq!(timers.footprint(), (0, 0));
    }

    #[test]
    fn slots_stay_valid_across_pages_and_reuse() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut timers = Timers::default();
        let keys: Vec<_> = (0..5000)
            .map(|i| timers.insert(i + 1, waker.clone()))
            .collect();
        // Cancel every other one, then arm more into the freed slots.
        for key in keys.iter().step_by(2) {
            timers.cancel(*key);
        }
        for i in 0..2500 {
            timers.insert(10_000 + i, waker.clone());
        }
        assert_eq!(timers.fire(u64::MAX), 5000);
        assert_eq!(count.0.load(Ordering::SeqCst), 5000);
        assert_eq!(timers.footprint(), (0, 0));
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
