//! The errors of the wire layer: one type per failure (encoding a value,
//! decoding a body, reading a frame), each opaque with `is_*()` queries so
//! that reasons can be added without breaking callers.

use std::fmt;

/// A value that the codec could not encode.
///
/// Returned by [`encode`](super::encode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    reason: EncodeReason,
    detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EncodeReason {
    /// The value's shape has no encoding (a sequence of unknown length).
    Unsupported,
    /// The value's own `Serialize` refused (a custom serde error).
    Refused,
}

impl EncodeError {
    pub(crate) fn new(reason: EncodeReason, detail: impl Into<String>) -> Self {
        Self {
            reason,
            detail: detail.into(),
        }
    }

    /// The value's type has a shape this codec cannot encode (for example a
    /// sequence that does not know its length up front).
    pub fn is_unsupported(&self) -> bool {
        self.reason == EncodeReason::Unsupported
    }

    /// The value's `Serialize` implementation reported an error itself.
    pub fn is_refused(&self) -> bool {
        self.reason == EncodeReason::Refused
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            EncodeReason::Unsupported => write!(f, "cannot encode value: {}", self.detail),
            EncodeReason::Refused => write!(f, "value refused to encode: {}", self.detail),
        }
    }
}

impl std::error::Error for EncodeError {}

/// Bytes that do not decode to the requested type.
///
/// Returned by [`decode`](super::decode). Bytes come from peers, so every
/// malformation is one of these, never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    reason: DecodeReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecodeReason {
    Oversize { len: usize, limit: usize },
    Truncated,
    Trailing { extra: usize },
    Malformed(String),
}

impl DecodeError {
    pub(crate) fn new(reason: DecodeReason) -> Self {
        Self { reason }
    }

    /// The input was longer than the limit; nothing was decoded.
    pub fn is_oversize(&self) -> bool {
        matches!(self.reason, DecodeReason::Oversize { .. })
    }

    /// The input ended before the value did.
    pub fn is_truncated(&self) -> bool {
        self.reason == DecodeReason::Truncated
    }

    /// A whole value decoded but bytes were left over after it.
    pub fn is_trailing(&self) -> bool {
        matches!(self.reason, DecodeReason::Trailing { .. })
    }

    /// The bytes are not an encoding of the requested type (bad tag,
    /// varint, UTF-8, bool, …).
    pub fn is_malformed(&self) -> bool {
        matches!(self.reason, DecodeReason::Malformed(_))
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            DecodeReason::Oversize { len, limit } => {
                write!(f, "cannot decode {len} bytes: over the limit of {limit}")
            }
            DecodeReason::Truncated => f.write_str("cannot decode: input ends inside the value"),
            DecodeReason::Trailing { extra } => {
                write!(f, "cannot decode: {extra} bytes left after the value")
            }
            DecodeReason::Malformed(detail) => write!(f, "cannot decode: {detail}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A frame that the [`FrameReader`](super::FrameReader) refused, or a
/// frame that [`write_frame`](super::write_frame) cannot represent.
///
/// After an oversize, unknown-kind or kindless frame the reader has already
/// stepped over it (it skips the announced length without buffering it), so
/// the stream stays in sync; whether to keep the link is the caller's call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    reason: FrameReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameReason {
    /// `len` counts the whole frame, prefix included; `limit` likewise.
    Oversize {
        len: u64,
        limit: u64,
    },
    UnknownKind(u8),
    MissingKind,
    Truncated {
        buffered: usize,
    },
}

impl FrameError {
    pub(crate) fn new(reason: FrameReason) -> Self {
        Self { reason }
    }

    /// The frame's length is over the limit (checked from its 4-byte
    /// prefix, before any of its body is buffered).
    pub fn is_oversize(&self) -> bool {
        matches!(self.reason, FrameReason::Oversize { .. })
    }

    /// The kind byte names no [`FrameKind`](super::FrameKind).
    pub fn is_unknown_kind(&self) -> bool {
        matches!(self.reason, FrameReason::UnknownKind(_))
    }

    /// The unknown kind byte, when that is the failure.
    pub fn unknown_kind(&self) -> Option<u8> {
        match self.reason {
            FrameReason::UnknownKind(byte) => Some(byte),
            _ => None,
        }
    }

    /// The length prefix was 0: no room for the kind byte.
    pub fn is_missing_kind(&self) -> bool {
        self.reason == FrameReason::MissingKind
    }

    /// The stream ended inside a frame (reported by
    /// [`FrameReader::finish`](super::FrameReader::finish)).
    pub fn is_truncated(&self) -> bool {
        matches!(self.reason, FrameReason::Truncated { .. })
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            FrameReason::Oversize { len, limit } => {
                write!(f, "frame of {len} bytes refused: over the limit of {limit}")
            }
            FrameReason::UnknownKind(byte) => write!(f, "frame of unknown kind {byte:#04x}"),
            FrameReason::MissingKind => f.write_str("frame of length 0 has no kind byte"),
            FrameReason::Truncated { buffered } => {
                write!(
                    f,
                    "stream ended inside a frame ({buffered} bytes of it read)"
                )
            }
        }
    }
}

impl std::error::Error for FrameError {}
