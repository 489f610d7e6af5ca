//! The Close body a node sends when it refuses a handshake, so that the
//! peer can say why instead of seeing a dropped connection.
//!
//! ```text
//! reason  u8                     1   (codes below)
//! value   len u8 | bytes         1 + len: the refuser's own value
//! text    len u8 | UTF-8         1 + <= 200: the refuser's message
//! ```
//!
//! The value is what the refuser has where the two sides differ (its
//! version as u16 BE, its codec byte); the receiver adds its own, so both
//! sides' messages name both values. Unknown codes are kept as
//! [`RefuseReason::Other`], their value skipped.

use super::error::{HandshakeError, RefuseReason};
use super::fixed::Reader;
use super::hello::codec_name;
use crate::wire::Codec;

const VERSION: u8 = 1;
const CODEC: u8 = 2;
const SECRET: u8 = 3;
const BAD_MAGIC: u8 = 4;
const MALFORMED: u8 = 5;
const UNEXPECTED: u8 = 6;
const SELF_CONNECT: u8 = 7;
const IGNORED: u8 = 8;

/// The longest text, in bytes.
pub(crate) const MAX_TEXT: usize = 200;

/// The Close body telling a peer about `err`, when `err` is about the peer.
pub(crate) fn encode(err: &HandshakeError) -> Option<Vec<u8>> {
    let (code, value): (u8, Vec<u8>) = match err {
        HandshakeError::Version { ours, .. } => (VERSION, ours.to_be_bytes().to_vec()),
        HandshakeError::Codec { ours, .. } => (CODEC, vec![codec_byte(ours)]),
        HandshakeError::Secret => (SECRET, Vec::new()),
        HandshakeError::BadMagic => (BAD_MAGIC, Vec::new()),
        HandshakeError::Malformed(_) => (MALFORMED, Vec::new()),
        HandshakeError::Unexpected(_) => (UNEXPECTED, Vec::new()),
        HandshakeError::SelfConnect => (SELF_CONNECT, Vec::new()),
        HandshakeError::Ignored => (IGNORED, Vec::new()),
        HandshakeError::Refused { .. } | HandshakeError::Config(_) | HandshakeError::Random => {
            return None;
        }
    };
    let text = err.to_string();
    let text = truncate(&text, MAX_TEXT);
    let mut body = Vec::with_capacity(3 + value.len() + text.len());
    body.push(code);
    body.push(value.len() as u8);
    body.extend_from_slice(&value);
    body.push(text.len() as u8);
    body.extend_from_slice(text.as_bytes());
    Some(body)
}

/// The error a received Close body means: [`HandshakeError::Refused`], or
/// [`HandshakeError::Malformed`] when the body does not follow the layout.
/// `version` and `codec` are this node's.
pub(crate) fn decode(body: &[u8], version: u16, codec: Codec) -> HandshakeError {
    match parse(body, version, codec) {
        Ok((reason, text)) => HandshakeError::Refused { reason, text },
        Err(what) => HandshakeError::Malformed(what),
    }
}

fn parse(body: &[u8], version: u16, codec: Codec) -> Result<(RefuseReason, String), &'static str> {
    let mut r = Reader::new(body);
    let short = "close cut short";
    let code = r.u8().ok_or(short)?;
    let value_len = usize::from(r.u8().ok_or(short)?);
    let value = r.take(value_len).ok_or(short)?;
    let reason = match (code, value) {
        (VERSION, &[a, b]) => RefuseReason::Version {
            ours: version,
            theirs: u16::from_be_bytes([a, b]),
        },
        (CODEC, &[byte]) => RefuseReason::Codec {
            ours: codec.name(),
            theirs: codec_name(byte),
        },
        (VERSION | CODEC, _) => return Err("close value does not fit its reason"),
        (SECRET, _) => RefuseReason::Secret,
        (BAD_MAGIC, _) => RefuseReason::BadMagic,
        (MALFORMED, _) => RefuseReason::Malformed,
        (UNEXPECTED, _) => RefuseReason::Unexpected,
        (SELF_CONNECT, _) => RefuseReason::SelfConnect,
        (IGNORED, _) => RefuseReason::Ignored,
        (other, _) => RefuseReason::Other(other),
    };
    let text_len = usize::from(r.u8().ok_or(short)?);
    if text_len > MAX_TEXT {
        return Err("close text over 200 bytes");
    }
    let text = r.take(text_len).ok_or(short)?;
    let text = std::str::from_utf8(text).map_err(|_| "close text is not UTF-8")?;
    if !r.is_empty() {
        return Err("bytes after the end of the close");
    }
    Ok((reason, text.to_owned()))
}

/// The byte of the codec called `name` (every codec has a distinct name).
fn codec_byte(name: &str) -> u8 {
    [Codec::Postcard, Codec::Bincode]
        .into_iter()
        .find(|c| c.name() == name)
        .map_or(0, Codec::byte)
}

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary.
fn truncate(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_refusal_names_both_values() {
        let err = HandshakeError::Version { ours: 2, theirs: 1 };
        let body = encode(&err).unwrap();
        assert_eq!(&body[..4], [VERSION, 2, 0, 2]);
        match decode(&body, 1, Codec::ACTIVE) {
            HandshakeError::Refused { reason, text } => {
                assert_eq!(reason, RefuseReason::Version { ours: 1, theirs: 2 });
                assert_eq!(text, err.to_string());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_bodies_are_malformed() {
        for body in [
            &[][..],
            &[1],
            &[1, 2, 0],
            &[1, 1, 0, 0],
            &[3, 0, 1, 0xFF],
            &[3, 0, 0, 9],
        ] {
            assert!(
                matches!(decode(body, 1, Codec::ACTIVE), HandshakeError::Malformed(_)),
                "{body:?}"
            );
        }
        assert!(matches!(
            decode(&[99, 1, 5, 0], 1, Codec::ACTIVE),
            HandshakeError::Refused {
                reason: RefuseReason::Other(99),
                ..
            }
        ));
    }

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("éé", 3), "é");
        assert_eq!(truncate("abc", 200), "abc");
        assert_eq!(codec_byte(Codec::ACTIVE.name()), Codec::ACTIVE.byte());
    }
}
