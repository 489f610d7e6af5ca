//! The node's shared state: its peers and what it tells status watchers.
//! Every part of the node (hook, links, serving) works through it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pycos::{Pycos, Task};

use crate::Location;
use crate::link::outbox::Target;
use crate::proto::{ID_LEN, Op};
use crate::wire::{EncodeError, FrameKind, encode_frame};

use super::config::NodeBuilder;
use super::peer::{LinkState, Peer, wake};
use super::requests::{Failure, Reply};
use super::status::{PeerState, PeerStatus};
use crate::util::lock;

/// Everything the node's parts share.
#[derive(Debug)]
pub(crate) struct NodeState {
    pub(crate) cfg: NodeBuilder,
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) incarnation: u64,
    /// Where the node's tasks run and whose tasks it serves.
    pub(crate) sched: Pycos,
    peers: Mutex<HashMap<Arc<str>, Arc<Peer>>>,
    /// The peer [`peer`](Self::peer) found last.
    last_peer: Mutex<Option<Arc<Peer>>>,
    watchers: Mutex<Vec<Task>>,
    next_request: AtomicU64,
    next_conn: AtomicU64,
    pub(crate) ignore_peers: AtomicBool,
    pub(crate) closed: AtomicBool,
    /// TLS for the links, when configured.
    pub(crate) tls: Option<LinkTls>,
    /// Wakers of `locate` calls waiting for a new peer to ask.
    peer_waiters: Mutex<Vec<std::task::Waker>>,
    /// Files sent here: `dest_path`, transfers under way.
    pub(crate) files: crate::files::Files,
}

impl NodeState {
    pub(crate) fn new(
        cfg: NodeBuilder,
        name: String,
        location: Location,
        sched: Pycos,
        tls: Option<LinkTls>,
    ) -> NodeState {
        NodeState {
            tls,
            files: crate::files::Files::new(&cfg),
            cfg,
            name,
            location,
            incarnation: pycos::remote::incarnation(),
            sched,
            peers: Mutex::new(HashMap::new()),
            last_peer: Mutex::new(None),
            watchers: Mutex::new(Vec::new()),
            next_request: AtomicU64::new(1),
            next_conn: AtomicU64::new(1),
            ignore_peers: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            peer_waiters: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn msg_timeout(&self) -> Duration {
        self.cfg.msg_timeout
    }

    /// The peer a remote handle's location names, if known.
    ///
    /// Handles decoded from a peer's frames share that peer's key (the
    /// wire context's), and a sender mostly sends to one peer in a row: the
    /// last peer found is tried first, by pointer, before the map is
    /// hashed.
    pub(crate) fn peer(&self, key: &Arc<str>) -> Option<Arc<Peer>> {
        {
            let last = lock(&self.last_peer);
            if let Some(peer) = last.as_ref()
                && Arc::ptr_eq(&peer.key, key)
            {
                return Some(peer.clone());
            }
        }
        let found = lock(&self.peers).get(&**key).cloned();
        if let Some(peer) = &found {
            *lock(&self.last_peer) = Some(peer.clone());
        }
        found
    }

    /// The peer at `location`, added if new.
    pub(crate) fn peer_at(&self, location: Location) -> Arc<Peer> {
        let key: Arc<str> = location.to_string().into();
        lock(&self.peers)
            .entry(key)
            .or_insert_with(|| Arc::new(Peer::new(location)))
            .clone()
    }

    /// Makes `peer` (dialed at its `location`) known under `advertised`
    /// too, the location it gives for itself: a node behind a proxy or NAT
    /// is one peer, whichever of its addresses a handle or a locate names.
    /// An entry already there for another peer that is not linked (made by
    /// a locate, say) is replaced; a linked one is left alone.
    pub(crate) fn alias(&self, advertised: Location, peer: &Arc<Peer>) {
        let key: Arc<str> = advertised.to_string().into();
        let mut peers = lock(&self.peers);
        let keep_other = peers
            .get(&key)
            .is_some_and(|other| !Arc::ptr_eq(other, peer) && other.is_up());
        if !keep_other {
            peers.insert(key, peer.clone());
        }
    }

    /// Every known peer (once each, though it may be known under two
    /// locations).
    pub(crate) fn all_peers(&self) -> Vec<Arc<Peer>> {
        let mut all: Vec<Arc<Peer>> = lock(&self.peers).values().cloned().collect();
        all.sort_by_key(|peer| Arc::as_ptr(peer) as usize);
        all.dedup_by(|a, b| Arc::ptr_eq(a, b));
        all
    }

    pub(crate) fn next_conn(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed)
    }

    /// Queues one frame for `peer`, encoded in place, and makes sure a
    /// link is (being) made.
    pub(crate) fn post(
        self: &Arc<Self>,
        peer: &Arc<Peer>,
        target: Option<Target>,
        kind: FrameKind,
        prefix: &[u8],
        value: &(impl serde::Serialize + ?Sized),
    ) -> Result<(), PostError> {
        let state = {
            let mut inner = peer.lock();
            if inner.state == LinkState::Offline {
                return Err(PostError::Offline);
            }
            // An encoding error leaves `out` as it was: nothing queued.
            let pushed = inner
                .outbox
                .push_with(target, |out| encode_frame(kind, prefix, value, out));
            pushed
                .map_err(PostError::Encode)?
                .map_err(|_| PostError::Offline)?;
            inner.state
        };
        match state {
            LinkState::Up { .. } => peer.writer.notify(),
            _ => self.ensure_link(peer),
        }
        Ok(())
    }

    /// Sends `op` to `peer`; `reply` gets the answer, or the failure when
    /// the peer goes Offline first. Returns the request's id (so a caller
    /// that gives up can [`forget`](Self::forget) it).
    pub(crate) fn request(
        self: &Arc<Self>,
        peer: &Arc<Peer>,
        target: Option<Target>,
        op: &Op,
        reply: Reply,
    ) -> u64 {
        let id = self.next_request.fetch_add(1, Ordering::Relaxed);
        peer.lock().pending.insert(id, reply);
        let prefix: [u8; ID_LEN] = id.to_be_bytes();
        if let Err(err) = self.post(peer, target, FrameKind::Request, &prefix, op) {
            let reply = peer.lock().pending.remove(&id);
            if let Some(reply) = reply {
                reply.answer(Err(err.into_failure(peer)));
            }
        }
        id
    }

    /// Drops a request's callback without calling it (its caller gave up:
    /// a late reply then finds nothing and is dropped).
    pub(crate) fn forget(&self, peer: &Peer, id: u64) {
        let reply = peer.lock().pending.remove(&id);
        if let Some(reply) = reply {
            reply.discard();
        }
    }

    /// Starts connecting to `peer` unless a link is up or being made.
    pub(crate) fn ensure_link(self: &Arc<Self>, peer: &Arc<Peer>) {
        {
            let mut inner = peer.lock();
            if inner.state != LinkState::Idle {
                return;
            }
            inner.state = LinkState::Connecting;
        }
        crate::link::dial::start(self, peer.clone());
    }

    /// A link to `peer` passed the handshake. Returns whether it is the
    /// one to keep (of two simultaneous connects, the one dialed by the
    /// node with the lower incarnation wins on both sides).
    pub(crate) fn link_up(
        self: &Arc<Self>,
        peer: &Arc<Peer>,
        conn: u64,
        sock: &Arc<pycos::AsyncSocket>,
        dialed_by_us: bool,
        name: &str,
        incarnation: u64,
    ) -> bool {
        let (restarted, was_online) = {
            let mut inner = peer.lock();
            if let LinkState::Up {
                dialed_by_us: existing_ours,
                ..
            } = inner.state
                && inner.incarnation == Some(incarnation)
            {
                let winner_ours = self.incarnation < incarnation;
                if existing_ours == winner_ours && dialed_by_us != winner_ours {
                    return false; // the live link is the one both keep
                }
            }
            let restarted = inner.incarnation.is_some_and(|old| old != incarnation);
            let was_online = matches!(inner.state, LinkState::Up { .. });
            inner.incarnation = Some(incarnation);
            inner.name = name.to_owned();
            inner.state = LinkState::Up { conn, dialed_by_us };
            inner.outbox.restart();
            inner.sock = Some(sock.clone());
            inner.failures = 0;
            inner.last_error = None;
            wake(std::mem::take(&mut inner.up_waiters));
            (restarted, was_online)
        };
        if restarted {
            tracing::info!(peer = %peer.location, "peer restarted: its old tasks are gone");
            self.fail_requests(peer, "the peer restarted");
        }
        peer.writer.notify();
        if !was_online || restarted {
            tracing::info!(peer = %peer.location, name, "peer online");
            self.tell_watchers(peer, PeerState::Online);
            self.wake_peer_waiters();
        }
        true
    }

    /// The connection `conn` of `peer` ended. Returns whether to reconnect
    /// (it was the live one and work may follow).
    pub(crate) fn link_down(self: &Arc<Self>, peer: &Arc<Peer>, conn: u64, why: &str) -> bool {
        let mut inner = peer.lock();
        match inner.state {
            LinkState::Up { conn: live, .. } if live == conn => {
                tracing::debug!(peer = %peer.location, why, "link down");
                inner.state = LinkState::Connecting;
                inner.sock = None;
                inner.last_error = Some(why.to_owned());
                !self.closed.load(Ordering::Relaxed)
            }
            _ => false,
        }
    }

    /// Gives `peer` up: every waiting request fails as unreachable, every
    /// watched task there reports so, and status watchers hear Offline.
    pub(crate) fn go_offline(self: &Arc<Self>, peer: &Arc<Peer>, why: &str) {
        let (failed, was_known) = {
            let mut inner = peer.lock();
            if inner.state == LinkState::Offline {
                return;
            }
            let was_known = inner.incarnation.is_some();
            inner.state = LinkState::Offline;
            inner.sock = None;
            inner.last_error = Some(why.to_owned());
            (
                inner.fail_all(&format!("{} ({why})", peer.location)),
                was_known,
            )
        };
        tracing::info!(peer = %peer.location, why, "peer offline");
        for (reply, failure) in failed {
            reply.answer(Err(failure));
        }
        if was_known {
            self.tell_watchers(peer, PeerState::Offline);
        }
        self.wake_peer_waiters();
    }

    /// Whether a peer at `location` that linked to this node is refused:
    /// peers are ignored and this node did not add it.
    pub(crate) fn refuses(&self, location: Location) -> bool {
        self.ignore_peers.load(Ordering::Relaxed)
            && !self
                .peer(&location.to_string().into())
                .is_some_and(|peer| peer.lock().explicit)
    }

    /// Makes an Offline (or closed) peer connectable again.
    pub(crate) fn revive(&self, peer: &Peer) {
        let mut inner = peer.lock();
        if inner.state == LinkState::Offline {
            inner.state = LinkState::Idle;
            inner.failures = 0;
        }
    }

    fn fail_requests(&self, peer: &Peer, why: &str) {
        let failed: Vec<_> = {
            let mut inner = peer.lock();
            inner.pending.drain().map(|(_, reply)| reply).collect()
        };
        for reply in failed {
            reply.answer(Err(Failure::Unreachable(format!(
                "{} ({why})",
                peer.location
            ))));
        }
    }

    /// Adds a status watcher, telling it at once of every peer online.
    pub(crate) fn watch_peers(&self, task: Task) {
        for peer in self.all_peers() {
            if peer.is_up() {
                let _ = task.send(self.status_of(&peer, PeerState::Online));
            }
        }
        lock(&self.watchers).push(task);
    }

    /// The peers online now, with their node names.
    pub(crate) fn online_peers(&self) -> Vec<(Location, String)> {
        self.all_peers()
            .into_iter()
            .filter(|peer| peer.is_up())
            .map(|peer| (peer.location, peer.lock().name.clone()))
            .collect()
    }

    fn status_of(&self, peer: &Peer, state: PeerState) -> PeerStatus {
        PeerStatus {
            location: peer.location,
            name: peer.lock().name.clone(),
            status: state,
        }
    }

    fn tell_watchers(&self, peer: &Peer, state: PeerState) {
        let status = self.status_of(peer, state);
        let mut watchers = lock(&self.watchers);
        watchers.retain(|task| task.send(status.clone()).is_ok());
    }

    /// Waits (blocking the calling thread, at most `limit`) until what is
    /// queued on every live link has been written: run when the program
    /// ends, so that messages sent just before are not lost with it.
    pub(crate) fn flush(&self, limit: Duration) {
        let deadline = std::time::Instant::now() + limit;
        while !self.all_peers().iter().all(|peer| peer.is_flushed()) {
            if std::time::Instant::now() >= deadline {
                tracing::warn!("frames still queued at exit were dropped");
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Closes every link in order (a Close frame, then shutdown), so peers
    /// see this node go Offline at once instead of redialing it: run when
    /// the program ends, after [`flush`](Self::flush). Blocks the calling
    /// thread up to a second a link.
    pub(crate) fn close_all(self: &Arc<Self>) {
        self.closed.store(true, Ordering::Relaxed);
        let mut close = Vec::new();
        if crate::wire::write_frame(FrameKind::Close, b"the node stopped", &mut close).is_err() {
            return;
        }
        for peer in self.all_peers() {
            let sock = peer.lock().sock.take();
            self.go_offline(&peer, "this node stopped");
            if let Some(sock) = sock {
                sock.settimeout(Duration::from_secs(1));
                let _ = sock.blocking().sendall(&close);
                let _ = sock.shutdown(std::net::Shutdown::Both);
            }
        }
    }

    /// Registers a waker for the next change of the peer set.
    pub(crate) fn on_peer_change(&self, waker: &std::task::Waker) {
        lock(&self.peer_waiters).push(waker.clone());
    }

    pub(crate) fn wake_peer_waiters(&self) {
        wake(std::mem::take(&mut *lock(&self.peer_waiters)));
    }
}

/// The TLS settings of both ends of a link.
#[derive(Clone)]
pub(crate) struct LinkTls {
    pub(crate) server: pycos::io::TlsServer,
    pub(crate) client: pycos::io::TlsClient,
}

impl std::fmt::Debug for LinkTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkTls")
    }
}

/// Why a frame could not be queued.
#[derive(Debug)]
pub(crate) enum PostError {
    /// The peer is Offline.
    Offline,
    /// The value could not be encoded (an unregistered message type).
    Encode(EncodeError),
}

impl PostError {
    pub(crate) fn into_failure(self, peer: &Peer) -> Failure {
        match self {
            PostError::Offline => Failure::Unreachable(format!("{} (offline)", peer.location)),
            PostError::Encode(err) => Failure::Unreachable(format!(
                "{} (the request cannot be encoded: {err})",
                peer.location
            )),
        }
    }
}
