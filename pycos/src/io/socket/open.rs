//! Making sockets: new ones (pycos' `socket.socket(family, type)`), the
//! usual listener and UDP preambles, and wrapping std sockets.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::os::fd::OwnedFd;

use rustix::net::{AddressFamily, SocketFlags, SocketType};

use super::AsyncSocket;
use crate::IntoTimeout;

impl AsyncSocket {
    fn open(family: AddressFamily, kind: SocketType) -> io::Result<AsyncSocket> {
        let flags = SocketFlags::NONBLOCK | SocketFlags::CLOEXEC;
        let fd = rustix::net::socket_with(family, kind, flags, None)?;
        Ok(AsyncSocket::from_fd(fd, kind == SocketType::DGRAM))
    }

    /// A new, unconnected IPv4 TCP socket (`socket(AF_INET, SOCK_STREAM)`).
    ///
    /// # Errors
    ///
    /// When the system refuses a new socket (descriptor limit, ...).
    pub fn tcp_v4() -> io::Result<AsyncSocket> {
        AsyncSocket::open(AddressFamily::INET, SocketType::STREAM)
    }

    /// A new, unconnected IPv6 TCP socket.
    ///
    /// # Errors
    ///
    /// When the system refuses a new socket.
    pub fn tcp_v6() -> io::Result<AsyncSocket> {
        AsyncSocket::open(AddressFamily::INET6, SocketType::STREAM)
    }

    /// A new, unbound IPv4 UDP socket (`socket(AF_INET, SOCK_DGRAM)`).
    ///
    /// # Errors
    ///
    /// When the system refuses a new socket.
    pub fn udp_v4() -> io::Result<AsyncSocket> {
        AsyncSocket::open(AddressFamily::INET, SocketType::DGRAM)
    }

    /// A new, unbound IPv6 UDP socket.
    ///
    /// # Errors
    ///
    /// When the system refuses a new socket.
    pub fn udp_v6() -> io::Result<AsyncSocket> {
        AsyncSocket::open(AddressFamily::INET6, SocketType::DGRAM)
    }

    /// A TCP socket of `addr`'s family.
    pub(super) fn tcp_for(addr: &SocketAddr) -> io::Result<AsyncSocket> {
        if addr.is_ipv4() {
            AsyncSocket::tcp_v4()
        } else {
            AsyncSocket::tcp_v6()
        }
    }

    /// [`connect`](AsyncSocket::connect) to `addr` (each address it resolves
    /// to, in turn) from a new socket of the matching family, with pycos'
    /// per-operation `timeout` (`None`: no limit) and an optional local
    /// `source` address. Name resolution, if `addr` needs it, blocks.
    ///
    /// # Errors
    ///
    /// The last address's connect error, or `InvalidInput` if `addr`
    /// resolves to nothing.
    pub async fn create_connection(
        addr: impl ToSocketAddrs,
        timeout: impl IntoTimeout,
        source: Option<SocketAddr>,
    ) -> io::Result<AsyncSocket> {
        let limit = timeout.into_timeout();
        let mut last = io::Error::new(io::ErrorKind::InvalidInput, "no address to connect to");
        for addr in addr.to_socket_addrs()? {
            let sock = AsyncSocket::tcp_for(&addr)?;
            sock.settimeout(limit);
            if let Some(source) = source {
                sock.bind(source)?;
            }
            match sock.connect(addr).await {
                Ok(()) => return Ok(sock),
                Err(err) => last = err,
            }
        }
        Err(last)
    }

    /// A listening TCP socket on `addr` (with `SO_REUSEADDR`, backlog 128),
    /// the usual server preamble in one call. Port 0 picks a free port:
    /// read it back with [`local_addr`](AsyncSocket::local_addr).
    ///
    /// # Errors
    ///
    /// When the address is taken or cannot be bound.
    pub fn tcp_listener(addr: SocketAddr) -> io::Result<AsyncSocket> {
        let sock = AsyncSocket::tcp_for(&addr)?;
        sock.set_reuseaddr(true)?;
        sock.bind(addr)?;
        sock.listen(128)?;
        Ok(sock)
    }

    /// A UDP socket bound to `addr`.
    ///
    /// # Errors
    ///
    /// When the address is taken or cannot be bound.
    pub fn udp_bind(addr: SocketAddr) -> io::Result<AsyncSocket> {
        let sock = if addr.is_ipv4() {
            AsyncSocket::udp_v4()?
        } else {
            AsyncSocket::udp_v6()?
        };
        sock.bind(addr)?;
        Ok(sock)
    }
}

fn nonblocking(fd: OwnedFd) -> io::Result<OwnedFd> {
    rustix::io::ioctl_fionbio(&fd, true)?;
    Ok(fd)
}

/// Wraps a connected std stream (pycos' `AsyncSocket(sock)`); it is made
/// non-blocking.
impl TryFrom<TcpStream> for AsyncSocket {
    type Error = io::Error;

    fn try_from(stream: TcpStream) -> io::Result<AsyncSocket> {
        Ok(AsyncSocket::from_fd(nonblocking(stream.into())?, false))
    }
}

/// Wraps a std listener; it is made non-blocking.
impl TryFrom<TcpListener> for AsyncSocket {
    type Error = io::Error;

    fn try_from(listener: TcpListener) -> io::Result<AsyncSocket> {
        Ok(AsyncSocket::from_fd(nonblocking(listener.into())?, false))
    }
}

/// Wraps a std UDP socket; it is made non-blocking.
impl TryFrom<UdpSocket> for AsyncSocket {
    type Error = io::Error;

    fn try_from(socket: UdpSocket) -> io::Result<AsyncSocket> {
        Ok(AsyncSocket::from_fd(nonblocking(socket.into())?, true))
    }
}
