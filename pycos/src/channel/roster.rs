//! [`Roster`]: a channel's subscribers, in the order they subscribed, with
//! an index by subscriber.
//!
//! pycos keeps subscribers in a set; a port must also keep their order (a
//! broadcast reaches them in the order they subscribed, and
//! [`Channel::subscribers`](crate::Channel::subscribers) lists them so), and
//! let a send iterate them without the channel's lock (see `mod.rs`). So the
//! order is a copy-on-write vector of slots that a send snapshots by
//! cloning an `Arc`, and a hash map from subscriber to slot answers "is it
//! subscribed, and where" in O(1):
//!
//! - subscribe: an index lookup and a push, O(1) amortised;
//! - unsubscribe (and dropping the ended subscribers a send found): the slot
//!   is emptied, O(1); once empty slots outnumber the live ones (plus a
//!   small slack) the vector is rebuilt without them, O(live), which the
//!   removals since the last rebuild pay for;
//! - a snapshot: one `Arc` clone; iterating it skips empty slots, and is
//!   O(live) because rebuilds keep empty slots below that.
//!
//! Limit: a change made while a snapshot is out (a subscription during a
//! send from another thread, or from a transform) copies the vector once,
//! O(live), as any copy-on-write list does; on the scheduler thread a send
//! has dropped its snapshot before any task runs again, so this is rare.

use std::collections::HashMap;
use std::sync::Arc;

use super::Subscriber;

/// Empty slots tolerated beyond the live count before a rebuild, so small
/// channels that come and go do not rebuild on every removal.
const SLACK: usize = 32;

/// Subscribers in subscription order, indexed by subscriber.
#[derive(Default)]
pub(super) struct Roster {
    /// `None`: a subscriber that left since the last rebuild.
    slots: Arc<Vec<Option<Subscriber>>>,
    /// Where each live subscriber is in `slots`.
    index: HashMap<Subscriber, usize>,
}

/// The subscribers at one moment, for a send to iterate without the lock.
#[derive(Clone, Default)]
pub(super) struct Snapshot(Arc<Vec<Option<Subscriber>>>);

impl Snapshot {
    pub(super) fn iter(&self) -> impl Iterator<Item = &Subscriber> {
        self.0.iter().flatten()
    }
}

impl Roster {
    /// How many are subscribed.
    pub(super) fn len(&self) -> usize {
        self.index.len()
    }

    pub(super) fn snapshot(&self) -> Snapshot {
        Snapshot(self.slots.clone())
    }

    /// Adds `subscriber` at the end; `false` (and no change) if it is
    /// already subscribed.
    pub(super) fn insert(&mut self, subscriber: Subscriber) -> bool {
        if self.index.contains_key(&subscriber) {
            return false;
        }
        let slots = Arc::make_mut(&mut self.slots);
        self.index.insert(subscriber.clone(), slots.len());
        slots.push(Some(subscriber));
        true
    }

    /// Removes `subscriber`; `false` if it was not subscribed. What the
    /// roster held goes to `out`, for the caller to drop after releasing
    /// the channel's lock (the last handle of a task may go with it, and
    /// with the task its unread messages, whose destructors are user code).
    pub(super) fn remove(&mut self, subscriber: &Subscriber, out: &mut Vec<Subscriber>) -> bool {
        let Some((key, at)) = self.index.remove_entry(subscriber) else {
            return false;
        };
        out.push(key);
        out.extend(Arc::make_mut(&mut self.slots)[at].take());
        self.rebuild_if_sparse();
        true
    }

    /// Removes every subscriber in `gone` that is still subscribed; what the
    /// roster held goes to `out`, as for [`remove`](Roster::remove).
    pub(super) fn remove_all(&mut self, gone: &[Subscriber], out: &mut Vec<Subscriber>) {
        for subscriber in gone {
            if let Some((key, at)) = self.index.remove_entry(subscriber) {
                out.push(key);
                // Copies only the first time, if a snapshot is out.
                out.extend(Arc::make_mut(&mut self.slots)[at].take());
            }
        }
        self.rebuild_if_sparse();
    }

    /// Drops the empty slots once they outnumber the live ones, renumbering
    /// the index.
    fn rebuild_if_sparse(&mut self) {
        let live = self.index.len();
        if self.slots.len() <= 2 * live + SLACK {
            return;
        }
        // Moved when no snapshot shares the slots, cloned otherwise.
        let old = std::mem::take(&mut self.slots);
        let kept: Vec<Option<Subscriber>> = match Arc::try_unwrap(old) {
            Ok(slots) => slots.into_iter().filter(Option::is_some).collect(),
            Err(shared) => shared.iter().flatten().cloned().map(Some).collect(),
        };
        for (at, subscriber) in kept.iter().enumerate() {
            if let Some(slot) = subscriber.as_ref().and_then(|s| self.index.get_mut(s)) {
                *slot = at;
            }
        }
        self.slots = Arc::new(kept);
    }

    /// Empties the roster (a channel closing); gives what it held, for the
    /// caller to drop after releasing the channel's lock.
    pub(super) fn take(&mut self) -> Roster {
        std::mem::take(self)
    }
}
