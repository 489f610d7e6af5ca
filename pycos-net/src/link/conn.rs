//! One connection: its handshake, then a reader (the calling task) and a
//! writer task until either side ends it.

use std::net::Shutdown;
use std::sync::Arc;
use std::time::Duration;

use pycos::prelude::*;

use crate::Location;
use crate::handshake::{Handshake, HandshakeConfig, HandshakeError, Role, Step};
use crate::node::peer::{LinkState, Peer};
use crate::node::serve::Serve;
use crate::node::state::{LinkTls, NodeState};
use crate::wire::{FrameKind, FrameReader};

use super::outbox::Reassembly;

/// The largest frame a peer may send before it is authenticated.
const HANDSHAKE_MAX_FRAME: usize = 4096;

/// How long the whole handshake may take (a slow peer cannot hold a
/// connection open without proving itself).
fn handshake_limit(node: &NodeState) -> Duration {
    node.msg_timeout().min(Duration::from_secs(5))
}

/// Bytes asked of the socket per read.
const READ_CHUNK: usize = 64 << 10;

/// Why a connection never became a link.
#[derive(Debug)]
pub(crate) enum Unlinked {
    /// The handshake (or TLS) refused it, on either side: a wrong secret,
    /// version or codec, a peer that ignores this node. Another attempt
    /// would be refused the same way.
    Refused(String),
    /// The connection failed or timed out: another attempt may work.
    Failed(String),
}

impl std::fmt::Display for Unlinked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unlinked::Refused(why) | Unlinked::Failed(why) => f.write_str(why),
        }
    }
}

/// Runs a new connection to its end. `expected` is the peer dialed (none
/// for an accepted connection). `Ok` once a link was up, `Err` with why it
/// never came up.
pub(crate) async fn run(
    node: Arc<NodeState>,
    sock: AsyncSocket,
    role: Role,
    expected: Option<Arc<Peer>>,
) -> Result<(), Unlinked> {
    if let Err(err) = sock.set_nodelay(true) {
        tracing::debug!(%err, "TCP_NODELAY not set");
    }
    // The link keeps its own deadlines (the handshake's limit, the
    // reader's silence): a per-operation limit on the socket (a dialed
    // one has the connect's) would only add a clock reading and a timer
    // to every read and write.
    sock.settimeout(None::<Duration>);
    let exporter = match &node.tls {
        Some(tls) => Some(
            start_tls(&sock, role, tls)
                .timeout(handshake_limit(&node))
                .await
                .ok_or_else(|| Unlinked::Failed("the TLS handshake took too long".to_owned()))??,
        ),
        None => None,
    };
    let sock = Arc::new(sock);
    let mut reader = FrameReader::new(HANDSHAKE_MAX_FRAME);
    let mut buf = vec![0; READ_CHUNK];
    let mut held = 0; // bytes of `buf` read but not yet taken by `reader`
    let hello = handshake(
        &node,
        &sock,
        role,
        exporter,
        &mut reader,
        &mut buf,
        &mut held,
    )
    .timeout(handshake_limit(&node))
    .await
    .ok_or_else(|| Unlinked::Failed("the handshake took too long".to_owned()))??;
    let peer = match expected {
        Some(peer) => {
            if hello.location != peer.location {
                node.alias(hello.location, &peer);
            }
            peer
        }
        None => {
            let peer = node.peer_at(hello.location);
            node.revive(&peer);
            peer
        }
    };
    let conn = node.next_conn();
    if !node.link_up(
        &peer,
        conn,
        &sock,
        role == Role::Dialer,
        &hello.name,
        hello.incarnation,
    ) {
        // Both nodes dialed at once, and the peer may have sent on this
        // link before it learned of the one both keep: close this side at
        // once (the peer then closes its own), but serve what the peer sent
        // until it does.
        tracing::debug!(peer = %peer.location, "duplicate link: read to its end");
        let _ = sock.shutdown(Shutdown::Write);
        reader.set_max_frame(node.cfg.max_frame);
        let why = read(&node, &peer, &sock, reader, buf, held).await;
        tracing::debug!(peer = %peer.location, why, "duplicate link closed");
        let _ = sock.shutdown(Shutdown::Both);
        return Ok(());
    }
    reader.set_max_frame(node.cfg.max_frame);
    node.sched
        .spawn(write(node.clone(), peer.clone(), conn, sock.clone()));
    let why = read(&node, &peer, &sock, reader, buf, held).await;
    let _ = sock.shutdown(Shutdown::Both);
    if node.link_down(&peer, conn, &why) && role == Role::Listener {
        // Dialers retry in their own loop; a listener starts one.
        super::dial::start(&node, peer);
    }
    Ok(())
}

/// What the handshake tells of the peer.
struct Hello {
    name: String,
    incarnation: u64,
    location: Location,
}

/// The label of the keying material the handshake's proof is bound to.
const EXPORTER_LABEL: &[u8] = b"EXPORTER-pycos-rs-link-v1";

/// Runs the TLS handshake and returns the session's exporter value.
async fn start_tls(sock: &AsyncSocket, role: Role, tls: &LinkTls) -> Result<[u8; 32], Unlinked> {
    let started = match role {
        Role::Dialer => sock.start_tls_client(&tls.client).await,
        Role::Listener => sock.start_tls_server(&tls.server).await,
    };
    started.map_err(|err| Unlinked::Refused(format!("TLS: {err}")))?;
    sock.tls_exporter(EXPORTER_LABEL)
        .ok_or_else(|| Unlinked::Refused("TLS: no keying material after the handshake".to_owned()))
}

async fn handshake(
    node: &NodeState,
    sock: &AsyncSocket,
    role: Role,
    exporter: Option<[u8; 32]>,
    reader: &mut FrameReader,
    buf: &mut [u8],
    held: &mut usize,
) -> Result<Hello, Unlinked> {
    let cfg = HandshakeConfig {
        name: node.name.clone(),
        incarnation: node.incarnation,
        location: node.location,
        secret: node.cfg.secret.clone(),
        tls_exporter: exporter,
    };
    let (mut machine, hello) =
        Handshake::new(role, &cfg).map_err(|err| Unlinked::Refused(format!("handshake: {err}")))?;
    sock.sendall(&hello)
        .await
        .map_err(|err| Unlinked::Failed(format!("handshake: {err}")))?;
    loop {
        // A peer that breaks the framing before it is known is refused.
        while let Some(frame) = next_frame(reader, buf, held).map_err(Unlinked::Refused)? {
            let step = machine.on_frame(frame.kind(), frame.body());
            match step {
                Ok(Step::Send(bytes)) => {
                    if role == Role::Listener
                        && let Some(hello) = machine.peer()
                        && node.refuses(hello.location)
                    {
                        let refusal = HandshakeError::Ignored;
                        if let Some(close) = refusal.refusal_frame() {
                            let _ = sock.sendall(&close).await;
                        }
                        return Err(Unlinked::Refused(format!("{}: {refusal}", hello.location)));
                    }
                    sock.sendall(&bytes)
                        .await
                        .map_err(|err| Unlinked::Failed(format!("handshake: {err}")))?;
                }
                Ok(Step::Done(peer)) => {
                    return Ok(Hello {
                        name: peer.name,
                        incarnation: peer.incarnation,
                        location: peer.location,
                    });
                }
                Err(err) => {
                    if let Some(refusal) = err.refusal_frame() {
                        let _ = sock.sendall(&refusal).await;
                    }
                    tracing::warn!(%err, "handshake failed");
                    return Err(Unlinked::Refused(format!("handshake: {err}")));
                }
            }
        }
        let n = sock
            .recv_into(&mut buf[*held..])
            .await
            .map_err(|err| Unlinked::Failed(format!("handshake: {err}")))?;
        if n == 0 {
            return Err(Unlinked::Failed(
                "handshake: the peer closed the connection".to_owned(),
            ));
        }
        *held += n;
    }
}

/// Feeds held bytes to `reader` and returns its next frame, if whole.
fn next_frame(
    reader: &mut FrameReader,
    buf: &mut [u8],
    held: &mut usize,
) -> Result<Option<crate::wire::Frame>, String> {
    loop {
        match reader.next_frame() {
            Ok(Some(frame)) => return Ok(Some(frame)),
            Ok(None) if *held == 0 => return Ok(None),
            Ok(None) => {
                let used = reader.push(&buf[..*held]);
                buf.copy_within(used..*held, 0);
                *held -= used;
                if used == 0 {
                    return Ok(None);
                }
            }
            Err(err) => return Err(format!("bad frame: {err}")),
        }
    }
}

/// Reads frames until the connection ends; returns why it ended.
async fn read(
    node: &Arc<NodeState>,
    peer: &Arc<Peer>,
    sock: &AsyncSocket,
    mut reader: FrameReader,
    mut buf: Vec<u8>,
    mut held: usize,
) -> String {
    let serve = Serve::new(node.clone(), peer.clone());
    let mut bulk = Reassembly::new(node.cfg.max_frame);
    let silence = node.msg_timeout();
    loop {
        // One wire context for every frame of this read.
        let served = serve
            .in_context(|| serve_held(&serve, peer, &mut reader, &mut bulk, &mut buf, &mut held));
        let served = match served {
            Ok(served) => served,
            Err(why) => {
                // An orderly close: the peer is gone, not lost, so nobody
                // redials.
                node.go_offline(peer, &why);
                return why;
            }
        };
        if served {
            let_answers_out(peer).await;
        }
        if !is_live(peer) {
            // Replaced by a newer link (or closed): stop reading once idle.
            return "replaced".to_owned();
        }
        match sock.recv_into(&mut buf[held..]).timeout(silence).await {
            None => return format!("no word for {silence:?}"),
            Some(Ok(0)) => return "the peer closed the connection".to_owned(),
            Some(Ok(n)) => held += n,
            Some(Err(err)) => return format!("read failed: {err}"),
        }
    }
}

/// Serves every whole frame held (in `reader` and the first `held` bytes
/// of `buf`). Whether any was served; `Err` with why when the peer closed
/// the link in order (a Close frame).
fn serve_held(
    serve: &Serve,
    peer: &Peer,
    reader: &mut FrameReader,
    bulk: &mut Reassembly,
    buf: &mut [u8],
    held: &mut usize,
) -> Result<bool, String> {
    let mut served = false;
    loop {
        match reader.next_frame() {
            Ok(Some(frame)) => {
                served = true;
                if frame.kind() == FrameKind::Bulk {
                    match bulk.push(frame.body()) {
                        Ok(Some((kind, body))) => serve.frame(kind, &body),
                        Ok(None) => {}
                        Err(err) => {
                            tracing::warn!(peer = %peer.location, ?err, "bad bulk chunk dropped")
                        }
                    }
                } else if frame.kind() == FrameKind::Close {
                    return Err(format!(
                        "closed by the peer: {}",
                        String::from_utf8_lossy(frame.body())
                    ));
                } else {
                    serve.frame(frame.kind(), frame.body());
                }
            }
            Ok(None) if *held == 0 => return Ok(served),
            Ok(None) => {
                let used = reader.push(&buf[..*held]);
                buf.copy_within(used..*held, 0);
                *held -= used;
            }
            // The reader stepped over the bad frame: the link goes on.
            Err(err) => tracing::warn!(peer = %peer.location, %err, "bad frame skipped"),
        }
    }
}

/// Gives the tasks the last frames woke a turn, and then the writer if
/// they queued frames, before the reader reads again: a read that finds
/// nothing costs a system call, and made before them it would delay every
/// answer by one.
async fn let_answers_out(peer: &Peer) {
    pycos::YieldNow::default().await;
    if peer.writer.is_set() {
        pycos::YieldNow::default().await;
    }
}

fn is_live(peer: &Peer) -> bool {
    matches!(peer.lock().state, LinkState::Up { .. })
}

/// Closes a link in order: tells the peer (which then gives this node up
/// instead of redialing) and shuts the connection.
#[task]
pub(crate) fn close(sock: Arc<AsyncSocket>, task: TaskCtx) {
    task.set_daemon(true);
    let mut frame = Vec::new();
    if crate::wire::write_frame(FrameKind::Close, b"closed by its peer", &mut frame).is_ok() {
        let _ = sock.sendall(&frame).timeout(1.0).await;
    }
    let _ = sock.shutdown(Shutdown::Both);
}

#[task]
fn write(node: Arc<NodeState>, peer: Arc<Peer>, conn: u64, sock: Arc<AsyncSocket>, task: TaskCtx) {
    task.set_daemon(true);
    let tick = node.cfg.tick_interval();
    let mut batch = Vec::new();
    loop {
        let state = peer.lock().state;
        match state {
            LinkState::Up { conn: live, .. } if live == conn => {}
            LinkState::Up { .. } => {
                // Replaced by the link both sides keep: close this side
                // only, so the peer still reads what was sent here; its
                // reader then closes, which ends the reader here.
                let _ = sock.shutdown(Shutdown::Write);
                return;
            }
            // Down, or closed by `close_peer`, whose own task sends the
            // Close frame and then shuts the connection.
            _ => return,
        }
        {
            let mut inner = peer.lock();
            inner.outbox.take(&mut batch);
            inner.writing = !batch.is_empty();
        }
        if batch.is_empty() {
            if peer.writer.wait().timeout(tick).await.is_none() {
                let _ = peer.lock().outbox.push(None, FrameKind::Tick, &[]);
            }
            continue;
        }
        let written = sock.sendall(&batch).await;
        peer.lock().writing = false;
        if let Err(err) = written {
            tracing::debug!(peer = %peer.location, %err, "write failed");
            let _ = sock.shutdown(Shutdown::Both);
            return;
        }
        batch.clear();
    }
}
