//! Networking for pycos-rs: netpycos (peers, discovery, remote tasks and
//! channels, RPS) and dispycos.
//!
//! What exists so far is the foundation the links are built on:
//!
//! - [`Location`]: where a node listens (IP address and TCP port), printed
//!   `ip:port` (`[v6]:port`), parsed back, and serializable so it can travel
//!   inside messages;
//! - [`wire`]: the byte format between nodes: length-prefixed [frames]
//!   with a kind byte, read incrementally under a size limit, and the one
//!   [codec] that turns values into frame bodies and back;
//! - [`handshake`]: the state machine that opens a link (protocol version,
//!   codec, names, incarnations, and an HMAC proof of the shared secret
//!   over the whole transcript), without sockets;
//! - [`discovery`]: fixed-format UDP announcements and the service that
//!   multicasts them on the chosen interfaces.
//!
//! Peers, the registry and remote operations arrive with the rest of the
//! networking issue and are built on these pieces.
//!
//! ```
//! use pycos_net::Location;
//! use pycos_net::wire::{self, FrameKind, FrameReader};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let here: Location = "127.0.0.1:9705".parse()?;
//!
//! // Sender: encode the value, append one frame to the outgoing buffer.
//! let mut out = Vec::new();
//! wire::write_frame(FrameKind::Message, &wire::encode(&here)?, &mut out)?;
//!
//! // Receiver: bytes arrive in any chunks; frames come out whole.
//! let mut reader = FrameReader::new(wire::DEFAULT_MAX_FRAME);
//! for chunk in out.chunks(3) {
//!     assert_eq!(reader.push(chunk), chunk.len());
//! }
//! let frame = reader.next_frame()?.expect("one whole frame");
//! assert_eq!(frame.kind(), FrameKind::Message);
//! let there: Location = wire::decode(frame.body(), wire::DEFAULT_MAX_FRAME)?;
//! assert_eq!(there, here);
//! # Ok(())
//! # }
//! ```
//!
//! # Cargo features
//!
//! - `bincode` (off by default): encode frame bodies with bincode `=2.0.1`
//!   instead of postcard. bincode is unmaintained (RUSTSEC-2025-0141), so it
//!   is pinned to the last reviewed release and only offered for programs
//!   that already speak it; postcard is the default because its format is
//!   specified and stable across its 1.x releases. The codec is chosen at
//!   compile time ([`wire::Codec::ACTIVE`]) and named in the handshake, so
//!   two nodes built with different codecs refuse each other instead of
//!   misreading bytes.
//!
//! [frames]: wire::Frame
//! [codec]: wire::encode
#![deny(unsafe_code)]

/// Envelope decoders and sample encoders for the fuzz and security tests
/// only.
#[doc(hidden)]
#[path = "fuzz_hooks.rs"]
pub mod __fuzz;
pub mod discovery;
mod discovery_glue;
mod error;
pub mod handshake;
mod link;
mod location;
mod messages;
mod node;
mod proto;
pub mod wire;

pub use error::ParseLocationError;
pub use location::Location;
pub use node::{DEFAULT_PORT, Node, NodeBuilder, NodeError, PeerError, PeerState, PeerStatus};
