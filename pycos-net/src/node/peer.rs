//! One peer: its link state, what is queued for it, and the requests that
//! wait for its answers.

use std::collections::HashMap;
use std::sync::Mutex;
use std::task::Waker;

use crate::Location;
use crate::link::notify::Notify;
use crate::link::outbox::Outbox;

use super::requests::{Failure, Reply};

/// Where a peer's link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkState {
    /// No link and no attempt yet.
    Idle,
    /// Connecting (or waiting to retry after `failures` failed attempts).
    Connecting,
    /// Authenticated; `conn` is the live connection's number.
    Up { conn: u64, dialed_by_us: bool },
    /// Given up: MaxConnectionErrors attempts failed, silence, or closed.
    Offline,
}

/// A peer of this node, known by its listening location.
#[derive(Debug)]
pub(crate) struct Peer {
    pub(crate) location: Location,
    /// `location` as it prints, the key remote handles carry.
    pub(crate) key: std::sync::Arc<str>,
    /// Wakes the live connection's writer.
    pub(crate) writer: Notify,
    pub(crate) inner: Mutex<PeerInner>,
}

/// A peer's mutable part.
pub(crate) struct PeerInner {
    pub(crate) name: String,
    /// The incarnation of the process now at the location (known after
    /// the first handshake); handles with another are stale.
    pub(crate) incarnation: Option<u64>,
    pub(crate) state: LinkState,
    pub(crate) outbox: Outbox,
    pub(crate) pending: HashMap<u64, Reply>,
    pub(crate) failures: u32,
    /// Added with `Node::peer` (kept when peers are ignored).
    pub(crate) explicit: bool,
    /// Tasks waiting for the link to come up (or fail).
    pub(crate) up_waiters: Vec<Waker>,
    /// Why the last attempt failed, for `peer()`'s error.
    pub(crate) last_error: Option<String>,
    /// The writer holds a batch it has not finished writing.
    pub(crate) writing: bool,
    /// A dialing task runs for this peer (see `link::dial::start`).
    pub(crate) dialing: bool,
    /// The live connection's socket (for an orderly close).
    pub(crate) sock: Option<std::sync::Arc<pycos::AsyncSocket>>,
}

impl std::fmt::Debug for PeerInner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeerInner")
            .field("name", &self.name)
            .field("state", &self.state)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl Peer {
    pub(crate) fn new(location: Location) -> Peer {
        Peer {
            location,
            key: location.to_string().into(),
            writer: Notify::default(),
            inner: Mutex::new(PeerInner {
                name: String::new(),
                incarnation: None,
                state: LinkState::Idle,
                outbox: Outbox::default(),
                pending: HashMap::new(),
                failures: 0,
                explicit: false,
                up_waiters: Vec::new(),
                last_error: None,
                writing: false,
                dialing: false,
                sock: None,
            }),
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, PeerInner> {
        crate::util::lock(&self.inner)
    }

    /// Whether the link is up.
    pub(crate) fn is_up(&self) -> bool {
        matches!(self.lock().state, LinkState::Up { .. })
    }

    /// Whether everything queued on a live link has been written.
    pub(crate) fn is_flushed(&self) -> bool {
        let inner = self.lock();
        !matches!(inner.state, LinkState::Up { .. }) || (inner.outbox.is_empty() && !inner.writing)
    }
}

impl PeerInner {
    /// Takes every waiting request and every up-waiter, for a peer that
    /// went Offline: the requests fail as unreachable.
    pub(crate) fn fail_all(&mut self, why: &str) -> Vec<(Reply, Failure)> {
        self.outbox.clear();
        wake(std::mem::take(&mut self.up_waiters));
        self.pending
            .drain()
            .map(|(_, reply)| (reply, Failure::Unreachable(why.to_owned())))
            .collect()
    }
}

/// Wakes every waker.
pub(crate) fn wake(wakers: Vec<Waker>) {
    for waker in wakers {
        waker.wake();
    }
}
