//! Addresses and socket options: what pycos reaches through the raw socket
//! (`bind`, `listen`, `getsockname`, `setsockopt`, ...). Anything not here is
//! reachable through [`AsFd`](std::os::fd::AsFd) with a socket-options crate.

use std::io;
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use rustix::net::sockopt;

use super::AsyncSocket;

fn to_std(addr: rustix::net::SocketAddrAny) -> io::Result<SocketAddr> {
    SocketAddr::try_from(addr)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not an IP socket address"))
}

impl AsyncSocket {
    /// Binds to a local address (port 0: any free port).
    ///
    /// # Errors
    ///
    /// When the address is in use or not local.
    pub fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        Ok(rustix::net::bind(self.src.fd(), &addr)?)
    }

    /// Starts listening for connections (`listen(backlog)`); the system
    /// caps `backlog` at its maximum. [`tcp_listener`](AsyncSocket::tcp_listener)
    /// uses [`default_backlog`](AsyncSocket::default_backlog).
    ///
    /// # Errors
    ///
    /// When the socket cannot listen (a UDP socket, a connected one).
    pub fn listen(&self, backlog: i32) -> io::Result<()> {
        Ok(rustix::net::listen(self.src.fd(), backlog)?)
    }

    /// The local address (`getsockname`).
    ///
    /// # Errors
    ///
    /// When the socket is closed or not an IP socket.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        to_std(rustix::net::getsockname(self.src.fd())?)
    }

    /// The peer's address (`getpeername`).
    ///
    /// # Errors
    ///
    /// `NotConnected` when there is no peer.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        match rustix::net::getpeername(self.src.fd())? {
            Some(addr) => to_std(addr),
            None => Err(io::ErrorKind::NotConnected.into()),
        }
    }

    /// Shuts down reading, writing or both; a peer sees end of input after
    /// a write shutdown. Does not send a TLS close notification: see
    /// [`close`](AsyncSocket::close).
    ///
    /// # Errors
    ///
    /// `NotConnected` on an unconnected socket.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        let how = match how {
            Shutdown::Read => rustix::net::Shutdown::Read,
            Shutdown::Write => rustix::net::Shutdown::Write,
            Shutdown::Both => rustix::net::Shutdown::Both,
        };
        Ok(rustix::net::shutdown(self.src.fd(), how)?)
    }

    /// `TCP_NODELAY`: send small writes at once instead of coalescing them.
    ///
    /// # Errors
    ///
    /// On a socket that is not TCP.
    pub fn set_nodelay(&self, on: bool) -> io::Result<()> {
        Ok(sockopt::set_tcp_nodelay(self.src.fd(), on)?)
    }

    /// Whether `TCP_NODELAY` is set.
    ///
    /// # Errors
    ///
    /// On a socket that is not TCP.
    pub fn nodelay(&self) -> io::Result<bool> {
        Ok(sockopt::tcp_nodelay(self.src.fd())?)
    }

    /// `SO_REUSEADDR`: rebind a port that has connections in `TIME_WAIT`.
    ///
    /// # Errors
    ///
    /// When the system refuses the option.
    pub fn set_reuseaddr(&self, on: bool) -> io::Result<()> {
        Ok(sockopt::set_socket_reuseaddr(self.src.fd(), on)?)
    }

    /// Whether `SO_REUSEADDR` is set.
    ///
    /// # Errors
    ///
    /// When the system refuses the query.
    pub fn reuseaddr(&self) -> io::Result<bool> {
        Ok(sockopt::socket_reuseaddr(self.src.fd())?)
    }

    /// `SO_KEEPALIVE`: probe idle connections.
    ///
    /// # Errors
    ///
    /// When the system refuses the option.
    pub fn set_keepalive(&self, on: bool) -> io::Result<()> {
        Ok(sockopt::set_socket_keepalive(self.src.fd(), on)?)
    }

    /// `SO_LINGER`: how long closing waits for unsent data (`None`: off).
    ///
    /// # Errors
    ///
    /// When the system refuses the option.
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        Ok(sockopt::set_socket_linger(self.src.fd(), linger)?)
    }

    /// `IP_TTL` of outgoing IPv4 packets.
    ///
    /// # Errors
    ///
    /// On a socket that is not IPv4.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        Ok(sockopt::set_ip_ttl(self.src.fd(), ttl)?)
    }

    /// `IPV6_V6ONLY`: refuse IPv4-mapped peers on an IPv6 socket (set
    /// before `bind`).
    ///
    /// # Errors
    ///
    /// On a socket that is not IPv6.
    pub fn set_only_v6(&self, on: bool) -> io::Result<()> {
        Ok(sockopt::set_ipv6_v6only(self.src.fd(), on)?)
    }

    /// `SO_RCVBUF`: the kernel's receive buffer size.
    ///
    /// # Errors
    ///
    /// When the system refuses the option.
    pub fn set_recv_buffer_size(&self, size: usize) -> io::Result<()> {
        Ok(sockopt::set_socket_recv_buffer_size(self.src.fd(), size)?)
    }

    /// `SO_SNDBUF`: the kernel's send buffer size.
    ///
    /// # Errors
    ///
    /// When the system refuses the option.
    pub fn set_send_buffer_size(&self, size: usize) -> io::Result<()> {
        Ok(sockopt::set_socket_send_buffer_size(self.src.fd(), size)?)
    }
}
