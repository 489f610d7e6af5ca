//! Finding peers on the local network: small fixed-format UDP datagrams
//! (see [`encode`] / [`decode`]) and the service that sends and answers
//! them.

mod datagram;
mod error;

pub use datagram::{Announce, AnnounceKind, MAGIC, MAX_DATAGRAM, VERSION, decode, encode};
pub use error::DatagramError;
mod service;
mod socket;

pub use service::{DEFAULT_UDP_PORT, Discovery, DiscoveryConfig, OnFound, start};
pub use socket::{GROUP_V4, GROUP_V6};
