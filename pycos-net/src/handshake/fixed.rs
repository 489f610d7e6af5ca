//! The fixed-format fields shared by the handshake frames and the discovery
//! datagrams: big-endian integers, a location and a short name.
//!
//! These bodies are cut by hand, never by the general codec: their layout
//! must not move with a serde or codec upgrade (two nodes compare their
//! codecs through them), and each field has a small fixed bound, so a reader
//! looks at no more bytes than the layout allows and allocates only the
//! name.
//!
//! ```text
//! location = family: u8 (4 or 6) | ip: 4 or 16 bytes | port: u16 BE
//! name     = len: u8 (<= 64)     | UTF-8 bytes
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::Location;

/// The longest node name on the wire, in bytes of UTF-8.
pub(crate) const MAX_NAME: usize = 64;

/// The most bytes a location takes (an IPv6 one).
pub(crate) const MAX_LOCATION: usize = 1 + 16 + 2;

/// Checks that `name` fits the wire.
pub(crate) fn check_name(name: &str) -> Result<(), &'static str> {
    if name.len() > MAX_NAME {
        Err("node name over 64 bytes")
    } else {
        Ok(())
    }
}

/// Appends a location.
pub(crate) fn put_location(out: &mut Vec<u8>, location: &Location) {
    match location.ip() {
        IpAddr::V4(ip) => {
            out.push(4);
            out.extend_from_slice(&ip.octets());
        }
        IpAddr::V6(ip) => {
            out.push(6);
            out.extend_from_slice(&ip.octets());
        }
    }
    out.extend_from_slice(&location.port().to_be_bytes());
}

/// Appends a name that [`check_name`] accepted.
pub(crate) fn put_name(out: &mut Vec<u8>, name: &str) {
    debug_assert!(check_name(name).is_ok());
    out.push(name.len() as u8);
    out.extend_from_slice(name.as_bytes());
}

/// Reads fields off the front of a body; every read is bounds-checked and
/// returns `None` or an error naming the field when the bytes run out or do
/// not fit.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Whether every byte was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        self.rest = tail;
        Some(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, tail) = self.rest.split_first_chunk::<N>()?;
        self.rest = tail;
        Some(*head)
    }

    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.array::<1>().map(|[b]| b)
    }

    pub(crate) fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_be_bytes)
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_be_bytes)
    }

    pub(crate) fn location(&mut self) -> Result<Location, &'static str> {
        let ip = match self.u8().ok_or("location cut short")? {
            4 => IpAddr::V4(Ipv4Addr::from(
                self.array::<4>().ok_or("location cut short")?,
            )),
            6 => IpAddr::V6(Ipv6Addr::from(
                self.array::<16>().ok_or("location cut short")?,
            )),
            _ => return Err("location family is neither 4 nor 6"),
        };
        let port = self.u16().ok_or("location cut short")?;
        Ok(Location::new(ip, port))
    }

    pub(crate) fn name(&mut self) -> Result<String, &'static str> {
        let len = usize::from(self.u8().ok_or("name cut short")?);
        if len > MAX_NAME {
            return Err("node name over 64 bytes");
        }
        let bytes = self.take(len).ok_or("name cut short")?;
        let name = std::str::from_utf8(bytes).map_err(|_| "node name is not UTF-8")?;
        Ok(name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_and_name_round_trip() {
        for text in ["10.0.0.1:9705", "[ff05::1]:1"] {
            let location: Location = text.parse().unwrap();
            let mut out = Vec::new();
            put_location(&mut out, &location);
            put_name(&mut out, "née");
            let mut reader = Reader::new(&out);
            assert_eq!(reader.location().unwrap(), location);
            assert_eq!(reader.name().unwrap(), "née");
            assert!(reader.is_empty());
        }
    }

    #[test]
    fn reads_refuse_what_does_not_fit() {
        assert_eq!(
            Reader::new(&[4, 1, 2]).location(),
            Err("location cut short")
        );
        assert!(Reader::new(&[5]).location().is_err());
        assert!(Reader::new(&[65]).name().is_err());
        assert!(Reader::new(&[2, 0xFF, 0xFE]).name().is_err());
        assert!(Reader::new(&[3, b'a']).name().is_err());
        assert_eq!(Reader::new(&[1]).u16(), None);
        assert!(check_name(&"x".repeat(65)).is_err());
        assert!(check_name(&"x".repeat(64)).is_ok());
    }
}
