//! `Location`: the address a node listens on (pycos' `Location`).
//!
//! An IP address and a TCP port, nothing else: no host name (names are
//! resolved before a `Location` is made, so comparing two locations never
//! needs the network) and no IPv6 scope or flow label (they are properties
//! of the local interface, meaningless on the peer that receives the
//! location inside a message).
//!
//! Its serialized form is serde's for `IpAddr` (a variant index, then the 4
//! or 16 address bytes) followed by the port; the bytes under postcard are
//! pinned by a test in `tests/wire_frames.rs`.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ParseLocationError;

/// Where a node listens: an IP address and a TCP port.
///
/// Printed as `ip:port`, with brackets around IPv6 addresses
/// (`[::1]:9705`), and parsed from the same form. Ordered by address (every
/// IPv4 address before every IPv6 one), then port.
///
/// # Examples
///
/// ```
/// use pycos_net::Location;
/// use std::net::Ipv6Addr;
///
/// # fn main() -> Result<(), pycos_net::ParseLocationError> {
/// let v4: Location = "127.0.0.1:9705".parse()?;
/// assert_eq!(v4.port(), 9705);
/// assert_eq!(v4.to_string(), "127.0.0.1:9705");
///
/// let v6 = Location::new(Ipv6Addr::LOCALHOST.into(), 9705);
/// assert_eq!(v6.to_string(), "[::1]:9705");
/// assert_eq!("[::1]:9705".parse::<Location>()?, v6);
/// assert!(v4 < v6);
///
/// assert!("localhost:9705".parse::<Location>().is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    ip: IpAddr,
    port: u16,
}

impl Location {
    /// The location at `ip`, `port`.
    pub const fn new(ip: IpAddr, port: u16) -> Self {
        Self { ip, port }
    }

    /// The IP address.
    pub const fn ip(&self) -> IpAddr {
        self.ip
    }

    /// The TCP port.
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// The socket address to connect to.
    pub const fn socket_addr(&self) -> SocketAddr {
        SocketAddr::new(self.ip, self.port)
    }
}

impl From<SocketAddr> for Location {
    /// Keeps the address and port; an IPv6 scope id and flow label are
    /// dropped (see the module notes).
    fn from(addr: SocketAddr) -> Self {
        Self::new(addr.ip(), addr.port())
    }
}

impl From<Location> for SocketAddr {
    fn from(location: Location) -> Self {
        location.socket_addr()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ip {
            IpAddr::V4(ip) => write!(f, "{ip}:{}", self.port),
            IpAddr::V6(ip) => write!(f, "[{ip}]:{}", self.port),
        }
    }
}

impl FromStr for Location {
    type Err = ParseLocationError;

    /// Parses `ip:port` or `[ipv6]:port`; host names and scope ids are
    /// refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<SocketAddr>()
            .map(Self::from)
            .map_err(|_| ParseLocationError::new(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn display_and_parse_round_trip() {
        for text in ["0.0.0.0:0", "10.1.2.3:9705", "[::]:65535", "[fe80::1:2]:80"] {
            let location: Location = text.parse().unwrap();
            assert_eq!(location.to_string(), text);
        }
    }

    #[test]
    fn parse_refuses_what_is_not_ip_port() {
        for bad in [
            "",
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:65536",
            "::1:9705",
            "[::1]",
            "localhost:9705",
            " 127.0.0.1:1",
        ] {
            let err = bad.parse::<Location>().unwrap_err();
            assert_eq!(err.input(), bad);
            assert!(err.to_string().contains("expected `ip:port`"), "{err}");
        }
        let long = "x".repeat(1000);
        assert_eq!(long.parse::<Location>().unwrap_err().input().len(), 64);
    }

    #[test]
    fn order_eq_hash() {
        let a = Location::new(Ipv4Addr::new(10, 0, 0, 1).into(), 2);
        let b = Location::new(Ipv4Addr::new(10, 0, 0, 1).into(), 3);
        let c = Location::new(Ipv6Addr::LOCALHOST.into(), 1);
        assert!(a < b && b < c);
        let set: HashSet<_> = [a, b, c, a].into_iter().collect();
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn socket_addr_conversions() {
        let addr: SocketAddr = "[::1]:7".parse().unwrap();
        let location = Location::from(addr);
        assert_eq!(SocketAddr::from(location), addr);
        assert_eq!(location.ip(), IpAddr::V6(Ipv6Addr::LOCALHOST));
    }

    #[test]
    fn codec_round_trip() {
        for text in ["127.0.0.1:9705", "[ff05::674f:48ba:b409:3171]:9705"] {
            let location: Location = text.parse().unwrap();
            let bytes = crate::wire::encode(&location).unwrap();
            let back: Location = crate::wire::decode(&bytes, 64).unwrap();
            assert_eq!(back, location);
        }
    }
}
