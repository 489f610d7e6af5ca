//! One frame: `len: u32 BE | kind: u8 | body`, where `len` counts the kind
//! byte and the body (what follows the prefix, as pycos' `send_msg`).

use super::error::{FrameError, FrameReason};

/// Bytes of the length prefix.
pub const LEN_PREFIX: usize = 4;

/// Bytes before the body: the length prefix and the kind byte.
pub const HEADER_LEN: usize = LEN_PREFIX + 1;

/// The default largest frame, prefix included: 16 MiB.
///
/// Small messages are far below it; bulk data (file chunks) is cut into
/// frames well under it, so the limit only bounds what one peer can make
/// another buffer.
pub const DEFAULT_MAX_FRAME: usize = 16 << 20;

/// What a frame carries, as one stable byte on the wire.
///
/// The bytes never change meaning; new kinds take new bytes. Byte 0 is
/// never a kind (a zeroed buffer is not a valid frame). Most kinds are
/// reserved for the link layer that is built on this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
#[non_exhaustive]
pub enum FrameKind {
    /// Reserved for the opening of the handshake: magic, protocol version,
    /// codec, node name, incarnation, nonce.
    Hello = 1,
    /// Reserved for the handshake's proof of the shared secret (HMAC over
    /// the transcript).
    Auth = 2,
    /// Reserved for a one-way message to a remote task or channel
    /// (`send`: at most once, FIFO per pair).
    Message = 3,
    /// Reserved for an acknowledged message (`deliver`).
    Deliver = 4,
    /// Reserved for the answer to a `Deliver` (delivered or not).
    DeliverAck = 5,
    /// Reserved for a request with an id and a deadline (locate, monitor,
    /// terminate, subscribe, …).
    Request = 6,
    /// Reserved for the reply matched to a `Request` by its id.
    Reply = 7,
    /// Reserved for the liveness tick sent after silence.
    Tick = 8,
    /// Reserved for bulk data (file chunks), queued apart so it never
    /// delays small frames.
    Bulk = 9,
    /// Reserved for an orderly close of the link, with its reason.
    Close = 10,
}

impl FrameKind {
    /// Every kind, in byte order.
    pub const ALL: [FrameKind; 10] = [
        FrameKind::Hello,
        FrameKind::Auth,
        FrameKind::Message,
        FrameKind::Deliver,
        FrameKind::DeliverAck,
        FrameKind::Request,
        FrameKind::Reply,
        FrameKind::Tick,
        FrameKind::Bulk,
        FrameKind::Close,
    ];

    /// The kind's byte on the wire.
    pub const fn byte(self) -> u8 {
        self as u8
    }

    /// The kind with this byte, if any.
    pub const fn from_byte(byte: u8) -> Option<FrameKind> {
        // `ALL` is in byte order from 1, so the byte is an index.
        match byte {
            1..=10 => Some(Self::ALL[byte as usize - 1]),
            _ => None,
        }
    }
}

impl TryFrom<u8> for FrameKind {
    type Error = FrameError;

    /// As [`FrameKind::from_byte`], with an error that
    /// [`is_unknown_kind`](FrameError::is_unknown_kind).
    fn try_from(byte: u8) -> Result<Self, FrameError> {
        Self::from_byte(byte).ok_or(FrameError::new(FrameReason::UnknownKind(byte)))
    }
}

/// One whole frame as read by a [`FrameReader`](super::FrameReader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    kind: FrameKind,
    body: Vec<u8>,
}

impl Frame {
    /// A frame of `kind` carrying `body`.
    pub fn new(kind: FrameKind, body: Vec<u8>) -> Self {
        Self { kind, body }
    }

    /// What the frame carries.
    pub fn kind(&self) -> FrameKind {
        self.kind
    }

    /// The body (for most kinds an encoded value: see
    /// [`decode`](super::decode)).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, by value.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The frame's size on the wire, prefix included.
    pub fn wire_len(&self) -> usize {
        HEADER_LEN + self.body.len()
    }

    /// Appends the frame's bytes to `out`, as [`write_frame`].
    ///
    /// # Errors
    ///
    /// As [`write_frame`].
    pub fn write_to(&self, out: &mut Vec<u8>) -> Result<(), FrameError> {
        write_frame(self.kind, &self.body, out)
    }
}

/// Appends one frame (`len | kind | body`) to `out`.
///
/// Appending lets a writer coalesce many queued frames into one buffer and
/// one write.
///
/// # Errors
///
/// An error that [`is_oversize`](FrameError::is_oversize) when the body is
/// too long for the 4-byte length (over 4 GiB − 2 bytes); `out` is then
/// unchanged. Whether the peer accepts a frame that size is its own limit.
///
/// # Examples
///
/// ```
/// use pycos_net::wire::{write_frame, FrameKind};
///
/// let mut out = Vec::new();
/// write_frame(FrameKind::Tick, &[], &mut out)?;
/// write_frame(FrameKind::Message, b"hi", &mut out)?;
/// assert_eq!(out, [0, 0, 0, 1, 8, 0, 0, 0, 3, 3, b'h', b'i']);
/// # Ok::<(), pycos_net::wire::FrameError>(())
/// ```
pub fn write_frame(kind: FrameKind, body: &[u8], out: &mut Vec<u8>) -> Result<(), FrameError> {
    let len = u32::try_from(body.len() + 1).map_err(|_| {
        FrameError::new(FrameReason::Oversize {
            len: (LEN_PREFIX + 1 + body.len()) as u64,
            limit: LEN_PREFIX as u64 + u64::from(u32::MAX),
        })
    })?;
    out.reserve(HEADER_LEN + body.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.push(kind.byte());
    out.extend_from_slice(body);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_bytes_are_stable() {
        let bytes: Vec<u8> = FrameKind::ALL.iter().map(|k| k.byte()).collect();
        assert_eq!(bytes, (1..=10).collect::<Vec<u8>>());
        assert_eq!(FrameKind::DeliverAck.byte(), 5);
        assert_eq!(FrameKind::Close.byte(), 10);
    }

    #[test]
    fn from_byte_is_total() {
        for byte in 0..=u8::MAX {
            match FrameKind::from_byte(byte) {
                Some(kind) => assert_eq!(kind.byte(), byte),
                None => {
                    assert!(byte == 0 || byte > 10);
                    let err = FrameKind::try_from(byte).unwrap_err();
                    assert!(err.is_unknown_kind());
                    assert_eq!(err.unknown_kind(), Some(byte));
                }
            }
        }
    }

    #[test]
    fn write_appends_header_and_body() {
        let mut out = vec![0xAA];
        write_frame(FrameKind::Reply, &[1, 2, 3], &mut out).unwrap();
        assert_eq!(out, [0xAA, 0, 0, 0, 4, 7, 1, 2, 3]);
        let frame = Frame::new(FrameKind::Bulk, vec![9; 300]);
        let mut again = Vec::new();
        frame.write_to(&mut again).unwrap();
        assert_eq!(again.len(), frame.wire_len());
        assert_eq!(&again[..5], [0, 0, 1, 45, 9]);
    }
}
