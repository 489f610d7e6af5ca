//! The handshake that opens every link: who each side is, whether they
//! speak the same protocol and codec, and proof that they share the secret.
//!
//! It is a pure state machine, without sockets ("sans-IO"): the link layer
//! sends the frame [`Handshake::new`] returns, feeds every received frame to
//! [`Handshake::on_frame`] and sends what it returns, until
//! [`Step::Done`] (the peer is authenticated) or an error (send its
//! [`refusal_frame`](HandshakeError::refusal_frame), if any, then close).
//! So it is tested by driving two machines against each other in memory.
//!
//! # Protocol (version 1)
//!
//! The two sides are symmetric but for their [`Role`]: the dialer connected,
//! the listener accepted.
//!
//! ```text
//! dialer                                  listener
//!   Hello(magic, version, codec, incarnation, nonce, location, name)  -->
//!   <--  Hello(...)
//!   Auth(HMAC(secret, "pycos-rs dialer proof v1" || transcript))    -->
//!   <--  Auth(HMAC(secret, "pycos-rs listener proof v1" || transcript))
//! ```
//!
//! Each side sends its Hello at once. On the peer's Hello it checks, in
//! order, the magic ([`BadMagic`](HandshakeError::BadMagic)), the protocol
//! version and the codec (exact matches; a refusal names both sides'
//! values), and that the peer is not itself (the same incarnation), then
//! sends its Auth (see `proof.rs` for the transcript and why replay and
//! reflection fail). On the peer's Auth it verifies the tag in constant
//! time against the peer's label; the handshake is done when both Hello and
//! Auth were received. A Close frame from the peer ends the handshake with
//! [`Refused`](HandshakeError::Refused), which names what differed.
//!
//! The bodies are fixed layouts cut by hand (`hello.rs`, `refusal.rs`),
//! never the general codec: they must read the same whatever the codec,
//! since naming the codec is one of their jobs. The Auth body is the 32-byte
//! tag.

mod error;
pub(crate) mod fixed;
mod hello;
mod machine;
mod proof;
mod refusal;

pub use error::{HandshakeError, RefuseReason};
pub use machine::{Handshake, HandshakeConfig, PeerHello, Role, Step};

/// The protocol version this build speaks (in every Hello).
pub const PROTOCOL_VERSION: u16 = 1;

/// Fixed-format decoders exposed for the fuzz tests only.
#[doc(hidden)]
pub mod __fuzz {
    use super::{HandshakeError, PROTOCOL_VERSION, hello, refusal};
    use crate::wire::Codec;

    /// Parses a Hello body as a peer's.
    pub fn hello(body: &[u8]) -> Result<(), HandshakeError> {
        hello::Hello::parse(body, PROTOCOL_VERSION, Codec::ACTIVE).map(drop)
    }

    /// Parses a Close body.
    pub fn close(body: &[u8]) -> HandshakeError {
        refusal::decode(body, PROTOCOL_VERSION, Codec::ACTIVE)
    }
}
