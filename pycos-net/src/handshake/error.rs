//! Why a handshake failed: [`HandshakeError`], and the reason a peer gave
//! when it refused this node: [`RefuseReason`].

use std::fmt;

use crate::wire::FrameKind;

/// A handshake that cannot complete.
///
/// Errors this node found in the peer's frames come with
/// [`refusal_frame`](HandshakeError::refusal_frame), the Close frame that
/// tells the peer why (it then fails with [`Refused`](Self::Refused)); the
/// values that differed are named on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HandshakeError {
    /// The peer speaks another protocol version.
    Version {
        /// This node's version.
        ours: u16,
        /// The peer's.
        theirs: u16,
    },
    /// The peer encodes with another codec (built with other features).
    Codec {
        /// This node's codec.
        ours: &'static str,
        /// The peer's (a name, or `unknown codec N`).
        theirs: String,
    },
    /// The peer's Hello does not start with the magic: not a pycos-rs node.
    BadMagic,
    /// The peer's proof did not verify: the secrets differ (or, with TLS,
    /// the two sides see different TLS sessions).
    Secret,
    /// The peer refused this node, for `reason` (which names what differed
    /// on the peer's side and this node's value); `text` is the peer's own
    /// message.
    Refused {
        /// What the peer objected to.
        reason: RefuseReason,
        /// The peer's explanation (at most 200 bytes, untrusted text).
        text: String,
    },
    /// A frame body that does not follow the layout; what was wrong.
    Malformed(&'static str),
    /// A frame of a kind the handshake does not expect at this point (a
    /// second Hello, an Auth before the Hello, any link frame).
    Unexpected(FrameKind),
    /// The peer has this node's own incarnation: the node dialed itself.
    SelfConnect,
    /// This node ignores peers it did not add itself
    /// (`Node::ignore_peers`), and the peer is one of those.
    Ignored,
    /// This node's configuration cannot be sent (a name over 64 bytes).
    Config(&'static str),
    /// The system random source failed, so no nonce could be made.
    Random,
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Version { ours, theirs } => write!(
                f,
                "handshake refused: protocol versions differ: this node speaks version {ours}, the peer {theirs}"
            ),
            Self::Codec { ours, theirs } => write!(
                f,
                "handshake refused: codecs differ: this node encodes with {ours}, the peer with {theirs}"
            ),
            Self::BadMagic => f.write_str(
                "handshake failed: the peer's hello lacks the pycos-rs magic (not a pycos-rs node?)",
            ),
            Self::Secret => f.write_str(
                "handshake failed: the peer's proof did not verify: the secrets differ",
            ),
            Self::Refused { reason, text } => {
                write!(f, "the peer refused the handshake: {reason}")?;
                if !text.is_empty() {
                    write!(f, " (the peer says {text:?})")?;
                }
                Ok(())
            }
            Self::Malformed(what) => write!(f, "handshake failed: malformed frame: {what}"),
            Self::Unexpected(kind) => {
                write!(f, "handshake failed: unexpected {kind:?} frame")
            }
            Self::SelfConnect => f.write_str(
                "handshake refused: the peer is this node itself (same incarnation)",
            ),
            Self::Ignored => f.write_str(
                "handshake refused: this node ignores peers it did not add itself",
            ),
            Self::Config(what) => write!(f, "cannot start a handshake: {what}"),
            Self::Random => f.write_str("cannot start a handshake: the system random source failed"),
        }
    }
}

impl std::error::Error for HandshakeError {}

/// What a peer objected to when it refused this node (carried by its Close
/// frame; see [`HandshakeError::Refused`]).
///
/// `ours` is this node's value, `theirs` the refusing peer's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefuseReason {
    /// The protocol versions differ.
    Version {
        /// This node's version.
        ours: u16,
        /// The refusing peer's.
        theirs: u16,
    },
    /// The codecs differ.
    Codec {
        /// This node's codec.
        ours: &'static str,
        /// The refusing peer's.
        theirs: String,
    },
    /// This node's proof did not verify on the peer: the secrets differ.
    Secret,
    /// The peer did not find the magic in this node's Hello.
    BadMagic,
    /// The peer found one of this node's frames malformed.
    Malformed,
    /// The peer received a frame it did not expect.
    Unexpected,
    /// The peer found its own incarnation in this node's Hello.
    SelfConnect,
    /// The peer ignores peers it did not add itself.
    Ignored,
    /// A reason code this build does not know (a newer peer).
    Other(u8),
}

impl fmt::Display for RefuseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Version { ours, theirs } => write!(
                f,
                "protocol versions differ: the peer speaks version {theirs}, this node {ours}"
            ),
            Self::Codec { ours, theirs } => write!(
                f,
                "codecs differ: the peer encodes with {theirs}, this node with {ours}"
            ),
            Self::Secret => f.write_str("the secrets differ (the peer could not verify our proof)"),
            Self::BadMagic => f.write_str("it did not recognize our hello (bad magic)"),
            Self::Malformed => f.write_str("it found one of our frames malformed"),
            Self::Unexpected => f.write_str("it received a frame it did not expect"),
            Self::SelfConnect => f.write_str("it is this node itself"),
            Self::Ignored => f.write_str("it ignores peers it did not add itself"),
            Self::Other(code) => write!(f, "reason code {code}, unknown to this build"),
        }
    }
}
