//! The discovery sockets and their options.
//!
//! Per address family in use, one *group* socket and one *sender* socket
//! per chosen interface:
//!
//! - the group socket is bound to the group address and the discovery
//!   port, with `SO_REUSEADDR` and `SO_REUSEPORT` so that several nodes on
//!   one host share the port (each receives every multicast datagram), and
//!   joins the group on each chosen interface only (`IP_ADD_MEMBERSHIP`
//!   with the interface's address, `IPV6_JOIN_GROUP` with its index).
//!   Binding to the group address rather than the wildcard keeps unicast
//!   datagrams, and other groups joined on the host, out of it;
//! - a sender socket is bound to its interface's address on an ephemeral
//!   port, with `IP_MULTICAST_IF` (`IPV6_MULTICAST_IF`) naming that
//!   interface, loop on (so nodes on the same host hear each other) and a
//!   TTL (hop limit) of 1 (the pings never leave the link). Pings go out of
//!   it, so pongs come back to it alone: a unicast reply to the shared
//!   discovery port would reach only one of the nodes sharing it.
//!
//! pycos' `AsyncSocket` wraps the common options; the multicast ones are
//! set here through its `AsFd`, with rustix (as pycos itself does).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use pycos::AsyncSocket;
use rustix::net::sockopt;

/// The IPv4 discovery group (pycos' `config.IPv4_MULTICAST_GROUP`).
pub const GROUP_V4: Ipv4Addr = Ipv4Addr::new(239, 255, 97, 5);

/// The IPv6 discovery group (site-local scope; pycos'
/// `config.IPv6_MULTICAST_GROUP`).
pub const GROUP_V6: Ipv6Addr = Ipv6Addr::new(0xff05, 0, 0, 0x674f, 0x48ba, 0xb409, 0x3171, 0x9705);

/// One family's sockets.
#[derive(Debug)]
pub(crate) struct Family {
    /// Where pings go: the group and the discovery port.
    pub(crate) group_addr: SocketAddr,
    pub(crate) group: Arc<AsyncSocket>,
    pub(crate) senders: Vec<Arc<AsyncSocket>>,
}

/// Opens the IPv4 sockets for the interfaces with these addresses
/// (`0.0.0.0`: the system's default multicast interface).
pub(crate) fn open_v4(port: u16, interfaces: &[Ipv4Addr]) -> io::Result<Family> {
    let group_addr = SocketAddr::new(GROUP_V4.into(), port);
    let group = shared_socket(AsyncSocket::udp_v4()?, group_addr)?;
    for iface in interfaces {
        sockopt::set_ip_add_membership(&group, &GROUP_V4, iface)
            .map_err(|e| context(e.into(), "join 239.255.97.5 on", (*iface).into()))?;
    }
    let mut senders = Vec::with_capacity(interfaces.len());
    for iface in interfaces {
        let sock = AsyncSocket::udp_v4()?;
        sock.bind(SocketAddr::new((*iface).into(), 0))
            .map_err(|e| context(e, "bind a discovery socket to", (*iface).into()))?;
        if !iface.is_unspecified() {
            sockopt::set_ip_multicast_if(&sock, iface)?;
        }
        sockopt::set_ip_multicast_loop(&sock, true)?;
        sockopt::set_ip_multicast_ttl(&sock, 1)?;
        senders.push(Arc::new(sock));
    }
    Ok(Family {
        group_addr,
        group,
        senders,
    })
}

/// Opens the IPv6 sockets for the interfaces with these addresses (`::`:
/// the system's default multicast interface).
pub(crate) fn open_v6(port: u16, interfaces: &[Ipv6Addr]) -> io::Result<Family> {
    let group_addr = SocketAddr::new(GROUP_V6.into(), port);
    let indexes = interfaces
        .iter()
        .map(|ip| {
            interface_index(ip).map_err(|e| context(e, "find the interface of", (*ip).into()))
        })
        .collect::<io::Result<Vec<u32>>>()?;
    let sock = AsyncSocket::udp_v6()?;
    sock.set_only_v6(true)?;
    let group = shared_socket(sock, group_addr)?;
    for (ip, index) in interfaces.iter().zip(&indexes) {
        sockopt::set_ipv6_add_membership(&group, &GROUP_V6, *index)
            .map_err(|e| context(e.into(), "join the IPv6 group on", (*ip).into()))?;
    }
    let mut senders = Vec::with_capacity(interfaces.len());
    for index in indexes {
        let sock = AsyncSocket::udp_v6()?;
        sock.set_only_v6(true)?;
        sock.bind(SocketAddr::new(Ipv6Addr::UNSPECIFIED.into(), 0))?;
        sockopt::set_ipv6_multicast_if(&sock, index)?;
        sockopt::set_ipv6_multicast_loop(&sock, true)?;
        sockopt::set_ipv6_multicast_hops(&sock, 1)?;
        senders.push(Arc::new(sock));
    }
    Ok(Family {
        group_addr,
        group,
        senders,
    })
}

/// `sock` bound to `addr` with the port shared.
fn shared_socket(sock: AsyncSocket, addr: SocketAddr) -> io::Result<Arc<AsyncSocket>> {
    sock.set_reuseaddr(true)?;
    sockopt::set_socket_reuseport(&sock, true)?;
    sock.bind(addr)
        .map_err(|e| context(e, "bind the discovery port at", addr.ip()))?;
    Ok(Arc::new(sock))
}

/// The index of the interface that has `ip` (0 for `::`: the default).
///
/// Linux lists IPv6 addresses with their interface index in
/// `/proc/net/if_inet6` (address in hex, index in hex, ...).
fn interface_index(ip: &Ipv6Addr) -> io::Result<u32> {
    if ip.is_unspecified() {
        return Ok(0);
    }
    let want: String = ip.octets().iter().map(|b| format!("{b:02x}")).collect();
    let table = std::fs::read_to_string("/proc/net/if_inet6")?;
    table
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let addr = fields.next()?;
            let index = u32::from_str_radix(fields.next()?, 16).ok()?;
            (addr == want).then_some(index)
        })
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::AddrNotAvailable, "no interface has it"))
}

fn context(err: io::Error, what: &str, ip: IpAddr) -> io::Error {
    io::Error::new(err.kind(), format!("discovery: cannot {what} {ip}: {err}"))
}
