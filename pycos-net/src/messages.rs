//! The networking crate's own types that cross the wire inside messages:
//! [`Location`] and [`PeerStatus`]. Registered explicitly (this crate
//! denies `unsafe_code`, which the static registration's link sections
//! count), when a node starts.

use pycos::message::{Message, register};

use crate::Location;
use crate::node::PeerStatus;

impl Message for Location {
    const NAME: &'static str = "pycos::Location";
}

impl Message for PeerStatus {
    const NAME: &'static str = "pycos::PeerStatus";
}

/// Registers this crate's message types (idempotent).
pub(crate) fn register_builtins() {
    for result in [register::<Location>(), register::<PeerStatus>()] {
        if let Err(err) = result {
            tracing::error!(%err, "a networking type's wire name is taken");
        }
    }
}
