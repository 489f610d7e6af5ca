//! Finding peers on the local network.
//!
//! Two parts:
//!
//! - the datagram ([`encode`], [`decode`], [`Announce`]): a small fixed
//!   layout, tagged with a truncated HMAC when a secret is set, never a
//!   general decoder (pycos unpickles whatever reaches its UDP port);
//! - the service ([`start`], [`Discovery`]): pycos tasks that ping the
//!   multicast group on the chosen interfaces only (TTL 1), answer pings
//!   with a rate-limited unicast pong, and report every other node heard.
//!   With discovery off it opens no socket and sends nothing (pycos still
//!   broadcasts).
//!
//! An announcement proves nothing by itself without a secret, and little
//! with one (a tag can be replayed): it only tells the node where to try
//! the [handshake](crate::handshake), which authenticates.
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use pycos::Pycos;
//! use pycos_net::discovery::{self, Announce, AnnounceKind, DiscoveryConfig};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sched = Pycos::new();
//! let cfg = DiscoveryConfig {
//!     interfaces: vec!["10.0.0.5".parse()?],
//!     secret: Some(b"a long random token".to_vec()),
//!     ..DiscoveryConfig::new(Announce {
//!         kind: AnnounceKind::Ping,
//!         incarnation: 42,
//!         location: "10.0.0.5:9705".parse()?,
//!         name: "node-a".into(),
//!     })
//! };
//! let found = Arc::new(|peer: Announce, from| println!("{} at {} (from {from})", peer.name, peer.location));
//! let service = discovery::start(&sched, cfg, found)?.expect("discovery is on");
//! service.ping_now();
//! # Ok(())
//! # }
//! ```

mod datagram;
mod error;
mod service;
mod socket;

pub use datagram::{Announce, AnnounceKind, MAGIC, MAX_DATAGRAM, VERSION, decode, encode};
pub use error::DatagramError;
pub use service::{DEFAULT_UDP_PORT, Discovery, DiscoveryConfig, OnFound, start};
pub use socket::{GROUP_V4, GROUP_V6};
