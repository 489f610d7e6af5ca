//! The Hello body: who a node is and what it speaks.
//!
//! ```text
//! magic    b"PYCOSRS\0"          8 bytes
//! version  u16 BE                2
//! codec    u8 (Codec::byte)      1
//! incarn.  u64 BE                8
//! nonce    32 random bytes       32
//! location family|ip|port        7 or 19
//! name     len u8 | UTF-8        1 + <= 64
//! ```
//!
//! A reader checks the fields in that order and stops at the first one
//! that is wrong: magic, then the version (before anything whose layout a
//! later version could change, so a newer peer is told "version" and not
//! "malformed"), then the codec, then the rest, which must end exactly.

use super::error::HandshakeError;
use super::fixed::{self, MAX_LOCATION, MAX_NAME, Reader};
use crate::Location;
use crate::wire::Codec;

/// The first bytes of every Hello.
pub(crate) const MAGIC: &[u8; 8] = b"PYCOSRS\0";

/// Bytes of the nonce.
pub(crate) const NONCE_LEN: usize = 32;

/// The longest Hello body of this protocol version.
pub(crate) const MAX_HELLO: usize = 8 + 2 + 1 + 8 + NONCE_LEN + MAX_LOCATION + 1 + MAX_NAME;

/// A decoded (or to be encoded) Hello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hello {
    pub(crate) version: u16,
    pub(crate) codec: u8,
    pub(crate) incarnation: u64,
    pub(crate) nonce: [u8; NONCE_LEN],
    pub(crate) location: Location,
    pub(crate) name: String,
}

impl Hello {
    /// The body bytes. The name must have passed
    /// [`check_name`](fixed::check_name).
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(MAX_HELLO);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.push(self.codec);
        out.extend_from_slice(&self.incarnation.to_be_bytes());
        out.extend_from_slice(&self.nonce);
        fixed::put_location(&mut out, &self.location);
        fixed::put_name(&mut out, &self.name);
        out
    }

    /// Reads a peer's Hello body, refusing a version or codec other than
    /// `version` / `codec` (this node's).
    pub(crate) fn parse(body: &[u8], version: u16, codec: Codec) -> Result<Hello, HandshakeError> {
        let mut r = Reader::new(body);
        let magic = r
            .array::<8>()
            .ok_or(HandshakeError::Malformed("hello cut short"))?;
        if &magic != MAGIC {
            return Err(HandshakeError::BadMagic);
        }
        let theirs = r
            .u16()
            .ok_or(HandshakeError::Malformed("hello cut short"))?;
        if theirs != version {
            return Err(HandshakeError::Version {
                ours: version,
                theirs,
            });
        }
        if body.len() > MAX_HELLO {
            return Err(HandshakeError::Malformed("hello body over 135 bytes"));
        }
        let codec_byte = r.u8().ok_or(HandshakeError::Malformed("hello cut short"))?;
        if codec_byte != codec.byte() {
            return Err(HandshakeError::Codec {
                ours: codec.name(),
                theirs: codec_name(codec_byte),
            });
        }
        let short = HandshakeError::Malformed("hello cut short");
        let incarnation = r.u64().ok_or(short.clone())?;
        let nonce = r.array::<NONCE_LEN>().ok_or(short)?;
        let location = r.location().map_err(HandshakeError::Malformed)?;
        let name = r.name().map_err(HandshakeError::Malformed)?;
        if !r.is_empty() {
            return Err(HandshakeError::Malformed(
                "bytes after the end of the hello",
            ));
        }
        Ok(Hello {
            version: theirs,
            codec: codec_byte,
            incarnation,
            nonce,
            location,
            name,
        })
    }
}

/// A codec byte as a name for messages, known or not.
pub(crate) fn codec_name(byte: u8) -> String {
    match Codec::from_byte(byte) {
        Some(codec) => codec.name().to_owned(),
        None => format!("unknown codec {byte}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Hello {
        Hello {
            version: 1,
            codec: Codec::ACTIVE.byte(),
            incarnation: 0x0102_0304_0506_0708,
            nonce: [7; NONCE_LEN],
            location: "[::1]:9705".parse().unwrap(),
            name: "n".repeat(MAX_NAME),
        }
    }

    #[test]
    fn longest_hello_is_max_hello() {
        let body = sample().encode();
        assert_eq!(body.len(), MAX_HELLO);
        assert_eq!(MAX_HELLO, 135);
        assert_eq!(Hello::parse(&body, 1, Codec::ACTIVE).unwrap(), sample());
    }

    #[test]
    fn layout_is_pinned() {
        let hello = Hello {
            location: "10.0.0.1:258".parse().unwrap(),
            name: "ab".into(),
            ..sample()
        };
        let body = hello.encode();
        assert_eq!(&body[..8], MAGIC);
        assert_eq!(&body[8..11], [0, 1, Codec::ACTIVE.byte()]);
        assert_eq!(&body[11..19], [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(&body[19..51], [7; 32]);
        assert_eq!(&body[51..], [4, 10, 0, 0, 1, 1, 2, 2, b'a', b'b']);
    }
}
