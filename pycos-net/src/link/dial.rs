//! Connecting to a peer, with backoff; Offline after too many failures.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pycos::prelude::*;

use crate::handshake::Role;
use crate::link::conn::Unlinked;
use crate::node::peer::{LinkState, Peer};
use crate::node::state::NodeState;

/// The first retry's delay; each next one doubles, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// The shortest time given to one connection attempt.
const MIN_ATTEMPT: Duration = Duration::from_millis(200);

/// Starts the task that links to `peer` (whose state is Connecting).
/// Starts the dialing task of `peer` unless it has one: one per peer, so
/// two attempts never race each other into two links.
pub(crate) fn start(node: &Arc<NodeState>, peer: Arc<Peer>) {
    {
        let mut inner = peer.lock();
        if inner.dialing {
            return; // the running one sees the state and goes on
        }
        inner.dialing = true;
    }
    node.sched.spawn(dial(node.clone(), peer));
}

/// Whether the dialing task goes on: while the peer is Connecting. The
/// check and the end of the task's turn are one step under the peer's
/// lock, so a `start` right after either finds the task still running or
/// starts a new one.
fn keep_dialing(peer: &Peer) -> bool {
    let mut inner = peer.lock();
    let go_on = inner.state == LinkState::Connecting;
    if !go_on {
        inner.dialing = false;
    }
    go_on
}

#[task]
fn dial(node: Arc<NodeState>, peer: Arc<Peer>, task: TaskCtx) {
    task.set_daemon(true);
    let mut backoff = FIRST_BACKOFF;
    // Since when the peer has been unreachable: after the message timeout
    // of that it is Offline, however few attempts fitted in.
    let mut down_since = Instant::now();
    loop {
        if node.closed.load(std::sync::atomic::Ordering::Relaxed) {
            peer.lock().dialing = false;
            return;
        }
        let left = node.msg_timeout().saturating_sub(down_since.elapsed());
        let attempt = connect(&node, &peer, left.max(MIN_ATTEMPT)).await;
        match attempt {
            Ok(()) => {
                // The link ran and ended; reconnect at once if it was live.
                backoff = FIRST_BACKOFF;
                down_since = Instant::now();
                if !keep_dialing(&peer) {
                    return;
                }
            }
            Err(Unlinked::Refused(why)) => {
                // Refused by the handshake: every attempt would be.
                tracing::warn!(peer = %peer.location, %why, "link refused");
                node.go_offline(&peer, &why);
                if !keep_dialing(&peer) {
                    return;
                }
                down_since = Instant::now();
                backoff = FIRST_BACKOFF;
            }
            Err(Unlinked::Failed(why)) => {
                if !keep_dialing(&peer) {
                    return; // the peer linked to us meanwhile, or was closed
                }
                let failures = {
                    let mut inner = peer.lock();
                    inner.failures += 1;
                    inner.last_error = Some(why.clone());
                    inner.failures
                };
                tracing::debug!(peer = %peer.location, failures, %why, "connect failed");
                let gave_up = if failures >= node.cfg.max_connection_errors {
                    Some(format!("{failures} connection attempts failed: {why}"))
                } else if down_since.elapsed() >= node.msg_timeout() {
                    let silent = node.msg_timeout();
                    Some(format!("unreachable for {silent:?}: {why}"))
                } else {
                    None
                };
                if let Some(why) = gave_up {
                    node.go_offline(&peer, &why);
                    if !keep_dialing(&peer) {
                        return;
                    }
                    // Revived meanwhile (a new `peer` or locate): a fresh
                    // start, with a new count and time limit.
                    down_since = Instant::now();
                    backoff = FIRST_BACKOFF;
                    continue;
                }
                task.sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// One attempt: connect (within `limit`), handshake, run the link until
/// it ends. `Ok` when a link ran (whatever ended it), `Err` with why it
/// never came up.
async fn connect(node: &Arc<NodeState>, peer: &Arc<Peer>, limit: Duration) -> Result<(), Unlinked> {
    let sock = AsyncSocket::create_connection(peer.location.socket_addr(), limit, None)
        .await
        .map_err(|err| Unlinked::Failed(format!("connect to {}: {err}", peer.location)))?;
    super::conn::run(node.clone(), sock, Role::Dialer, Some(peer.clone())).await
}
