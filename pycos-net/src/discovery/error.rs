//! Why a discovery datagram was not accepted.

use std::fmt;

/// A datagram that is not a valid announcement (or one that cannot be
/// made). Datagrams come from anyone on the network: every malformation is
/// one of these, never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DatagramError {
    /// Longer than [`MAX_DATAGRAM`](super::MAX_DATAGRAM) bytes.
    Oversize {
        /// The datagram's length.
        len: usize,
    },
    /// It ends before its last field.
    Truncated,
    /// It does not start with `PYCD`: not a pycos-rs announcement.
    BadMagic,
    /// Another version of the datagram format.
    Version {
        /// This build's.
        ours: u8,
        /// The sender's.
        theirs: u8,
    },
    /// A kind byte that is neither ping nor pong.
    UnknownKind(u8),
    /// A field that does not fit its layout; which.
    Malformed(&'static str),
    /// The tag did not verify: the sender has another secret (or none, or
    /// this node has none), or the datagram was altered.
    Tag,
    /// The announcement to encode has a name over 64 bytes.
    NameTooLong {
        /// The name's length in bytes.
        len: usize,
    },
}

impl fmt::Display for DatagramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Oversize { len } => write!(
                f,
                "discovery datagram of {len} bytes refused: over the limit of {}",
                super::MAX_DATAGRAM
            ),
            Self::Truncated => f.write_str("discovery datagram cut short"),
            Self::BadMagic => f.write_str("not a pycos-rs discovery datagram (bad magic)"),
            Self::Version { ours, theirs } => write!(
                f,
                "discovery datagram of version {theirs} ignored: this node speaks version {ours}"
            ),
            Self::UnknownKind(kind) => write!(f, "discovery datagram of unknown kind {kind}"),
            Self::Malformed(what) => write!(f, "malformed discovery datagram: {what}"),
            Self::Tag => f.write_str(
                "discovery datagram tag did not verify: the secrets differ (or it was altered)",
            ),
            Self::NameTooLong { len } => {
                write!(f, "cannot announce a node name of {len} bytes: over 64")
            }
        }
    }
}

impl std::error::Error for DatagramError {}
