//! [`PeerStatus`]: what a task that asked with
//! [`Node::peer_status`](super::Node::peer_status) receives when a peer
//! comes online or goes offline.

use serde::{Deserialize, Serialize};

use crate::Location;

/// Whether a peer is reachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeerState {
    /// The peer passed the handshake; its tasks can be reached.
    Online,
    /// The peer is gone (closed, silent too long, or unreachable).
    Offline,
}

/// A peer came online or went offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerStatus {
    /// Where the peer listens.
    pub location: Location,
    /// The peer's node name.
    pub name: String,
    /// Online or Offline.
    pub status: PeerState,
}
