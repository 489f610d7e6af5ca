//! Connecting to a peer, with backoff; Offline after too many failures.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pycos::prelude::*;

use crate::handshake::Role;
use crate::node::peer::{LinkState, Peer};
use crate::node::state::NodeState;

/// The first retry's delay; each next one doubles, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// The shortest time given to one connection attempt.
const MIN_ATTEMPT: Duration = Duration::from_millis(200);

/// Starts the task that links to `peer` (whose state is Connecting).
pub(crate) fn start(node: &Arc<NodeState>, peer: Arc<Peer>) {
    node.sched.spawn(dial(node.clone(), peer));
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
            return;
        }
        let left = node.msg_timeout().saturating_sub(down_since.elapsed());
        let attempt = connect(&node, &peer, left.max(MIN_ATTEMPT)).await;
        match attempt {
            Ok(()) => {
                // The link ran and ended; reconnect at once if it was live.
                backoff = FIRST_BACKOFF;
                down_since = Instant::now();
                if peer.lock().state != LinkState::Connecting {
                    return;
                }
            }
            Err(why) => {
                let failures = {
                    let mut inner = peer.lock();
                    if !matches!(inner.state, LinkState::Connecting) {
                        return; // the peer linked to us meanwhile, or was closed
                    }
                    inner.failures += 1;
                    inner.last_error = Some(why.clone());
                    inner.failures
                };
                tracing::debug!(peer = %peer.location, failures, %why, "connect failed");
                if failures >= node.cfg.max_connection_errors {
                    node.go_offline(
                        &peer,
                        &format!("{failures} connection attempts failed: {why}"),
                    );
                    return;
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
async fn connect(node: &Arc<NodeState>, peer: &Arc<Peer>, limit: Duration) -> Result<(), String> {
    let sock = AsyncSocket::create_connection(peer.location.socket_addr(), limit, None)
        .await
        .map_err(|err| format!("connect to {}: {err}", peer.location))?;
    super::conn::run(node.clone(), sock, Role::Dialer, Some(peer.clone())).await
}
