//! The node's use of discovery: announce itself, and link to every node
//! that answers (unless peers are ignored).

use std::sync::{Arc, Mutex};

use crate::discovery::{Announce, AnnounceKind, Discovery, DiscoveryConfig};
use crate::node::state::NodeState;

/// The running discovery service of the node, if on.
static SERVICE: Mutex<Option<Discovery>> = Mutex::new(None);

fn service() -> std::sync::MutexGuard<'static, Option<Discovery>> {
    crate::util::lock(&SERVICE)
}

/// Starts discovery for `node` when its configuration asks for it; opens
/// no socket otherwise.
pub(crate) fn start(node: &Arc<NodeState>) -> std::io::Result<()> {
    let cfg = DiscoveryConfig {
        enabled: node.cfg.discover,
        udp_port: node.cfg.udp_port,
        interfaces: if node.cfg.interfaces.is_empty() {
            vec![node.location.ip()]
        } else {
            node.cfg.interfaces.clone()
        },
        secret: node.cfg.secret.clone(),
        announce: Announce {
            kind: AnnounceKind::Ping,
            incarnation: node.incarnation,
            location: node.location,
            name: node.name.clone(),
        },
    };
    let weak = Arc::downgrade(node);
    let found = Arc::new(move |announce: Announce, from: std::net::SocketAddr| {
        if let Some(node) = weak.upgrade() {
            on_found(&node, &announce, from);
        }
    });
    let running = crate::discovery::start(&node.sched, cfg, found)?;
    *service() = running;
    Ok(())
}

/// Sends a ping now, if discovery runs.
pub(crate) fn ping(_node: &NodeState) {
    if let Some(running) = service().as_ref() {
        running.ping_now();
    }
}

fn on_found(node: &Arc<NodeState>, announce: &Announce, from: std::net::SocketAddr) {
    if announce.incarnation == node.incarnation
        || node.ignore_peers.load(std::sync::atomic::Ordering::Relaxed)
    {
        return;
    }
    tracing::debug!(name = %announce.name, location = %announce.location, %from, "peer discovered");
    let peer = node.peer_at(announce.location);
    node.revive(&peer);
    node.ensure_link(&peer);
}
