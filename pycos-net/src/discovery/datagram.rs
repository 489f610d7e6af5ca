//! The discovery datagram: a fixed layout cut by hand, never a general
//! decoder (pycos unpickles whatever arrives on its UDP port).
//!
//! ```text
//! magic        b"PYCD"                4
//! version      u8 (1)                 1
//! kind         u8 (1 ping, 2 pong)    1
//! incarnation  u64 BE                 8
//! location     family|ip|port         7 or 19   (the node's TCP location)
//! name         len u8 | UTF-8         1 + <= 64
//! tag          16 bytes               16
//! ```
//!
//! At most 114 bytes; anything over [`MAX_DATAGRAM`] (128) is refused
//! unread. The tag is HMAC-SHA256(secret, every byte before it), truncated
//! to 16 bytes, when a secret is set, else 16 zero bytes; it is compared in
//! constant time. The fields are read (bounded, allocating only the name)
//! before the tag is checked, so that a cut datagram is reported as cut.
//! Without a secret anyone can announce anything: an announcement only
//! makes a node try a handshake, which authenticates.

use ring::hmac;

use super::error::DatagramError;
use crate::Location;
use crate::handshake::fixed::{self, Reader};

/// The first bytes of every discovery datagram.
pub const MAGIC: &[u8; 4] = b"PYCD";

/// The datagram format's version.
pub const VERSION: u8 = 1;

/// The longest datagram accepted, in bytes.
pub const MAX_DATAGRAM: usize = 128;

const TAG_LEN: usize = 16;

/// What an announcement asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AnnounceKind {
    /// "Who is there? Here I am." Sent to the group; answered by a pong.
    Ping,
    /// The answer to a ping, sent to the pinger alone.
    Pong,
}

impl AnnounceKind {
    const fn byte(self) -> u8 {
        match self {
            AnnounceKind::Ping => 1,
            AnnounceKind::Pong => 2,
        }
    }
}

/// A node announcing itself: what a discovery datagram carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announce {
    /// Ping or pong.
    pub kind: AnnounceKind,
    /// The node's incarnation (random per start).
    pub incarnation: u64,
    /// Where the node accepts links (TCP).
    pub location: Location,
    /// The node's name (at most 64 bytes of UTF-8).
    pub name: String,
}

/// The datagram announcing `announce`, tagged with `secret` if any.
///
/// # Errors
///
/// [`DatagramError::NameTooLong`] for a name over 64 bytes.
///
/// # Examples
///
/// ```
/// use pycos_net::discovery::{self, Announce, AnnounceKind};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let ping = Announce {
///     kind: AnnounceKind::Ping,
///     incarnation: 7,
///     location: "10.0.0.1:9705".parse()?,
///     name: "node-a".into(),
/// };
/// let bytes = discovery::encode(&ping, Some(b"token"))?;
/// assert_eq!(discovery::decode(&bytes, Some(b"token"))?, ping);
/// assert!(discovery::decode(&bytes, Some(b"other")).is_err());
/// # Ok(())
/// # }
/// ```
pub fn encode(announce: &Announce, secret: Option<&[u8]>) -> Result<Vec<u8>, DatagramError> {
    fixed::check_name(&announce.name).map_err(|_| DatagramError::NameTooLong {
        len: announce.name.len(),
    })?;
    let mut out = Vec::with_capacity(MAX_DATAGRAM);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.push(announce.kind.byte());
    out.extend_from_slice(&announce.incarnation.to_be_bytes());
    fixed::put_location(&mut out, &announce.location);
    fixed::put_name(&mut out, &announce.name);
    let tag = tag(&out, secret);
    out.extend_from_slice(&tag);
    Ok(out)
}

/// The announcement in `bytes`, whose tag must verify with `secret` (or
/// be zero when `secret` is `None`).
///
/// # Errors
///
/// A [`DatagramError`] saying what is wrong, checked in layout order, the
/// tag last.
pub fn decode(bytes: &[u8], secret: Option<&[u8]>) -> Result<Announce, DatagramError> {
    if bytes.len() > MAX_DATAGRAM {
        return Err(DatagramError::Oversize { len: bytes.len() });
    }
    let mut r = Reader::new(bytes);
    if &r.array::<4>().ok_or(DatagramError::Truncated)? != MAGIC {
        return Err(DatagramError::BadMagic);
    }
    let version = r.u8().ok_or(DatagramError::Truncated)?;
    if version != VERSION {
        return Err(DatagramError::Version {
            ours: VERSION,
            theirs: version,
        });
    }
    let kind = match r.u8().ok_or(DatagramError::Truncated)? {
        1 => AnnounceKind::Ping,
        2 => AnnounceKind::Pong,
        other => return Err(DatagramError::UnknownKind(other)),
    };
    let incarnation = r.u64().ok_or(DatagramError::Truncated)?;
    let location = r.location().map_err(field_error)?;
    let name = r.name().map_err(field_error)?;
    let got = r.array::<TAG_LEN>().ok_or(DatagramError::Truncated)?;
    if !r.is_empty() {
        return Err(DatagramError::Malformed("bytes after the tag"));
    }
    let signed = &bytes[..bytes.len() - TAG_LEN];
    if !constant_time_eq(&tag(signed, secret), &got) {
        return Err(DatagramError::Tag);
    }
    Ok(Announce {
        kind,
        incarnation,
        location,
        name,
    })
}

fn field_error(what: &'static str) -> DatagramError {
    if what.ends_with("cut short") {
        DatagramError::Truncated
    } else {
        DatagramError::Malformed(what)
    }
}

fn tag(signed: &[u8], secret: Option<&[u8]>) -> [u8; TAG_LEN] {
    let mut out = [0; TAG_LEN];
    if let Some(secret) = secret {
        let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
        out.copy_from_slice(&hmac::sign(&key, signed).as_ref()[..TAG_LEN]);
    }
    out
}

/// Equality whose time does not depend on where the inputs differ (ring's
/// own comparison is only exposed for whole tags).
fn constant_time_eq(a: &[u8; TAG_LEN], b: &[u8; TAG_LEN]) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_datagram_fits() {
        let announce = Announce {
            kind: AnnounceKind::Pong,
            incarnation: u64::MAX,
            location: "[ff05::1]:65535".parse().unwrap(),
            name: "n".repeat(64),
        };
        assert_eq!(encode(&announce, Some(b"k")).unwrap().len(), 114);
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(&[3; 16], &[3; 16]));
        let mut other = [3; 16];
        other[15] = 2;
        assert!(!constant_time_eq(&[3; 16], &other));
    }
}
