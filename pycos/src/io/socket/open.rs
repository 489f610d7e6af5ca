//! Making sockets: new ones (pycos' `socket.socket(family, type)`), the
//! usual listener and UDP preambles, and wrapping std sockets.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::os::fd::OwnedFd;
use std::sync::OnceLock;

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

    /// A listening TCP socket on `addr` (with `SO_REUSEADDR` and the
    /// [`default_backlog`](AsyncSocket::default_backlog), the system's
    /// maximum), the usual server preamble in one call. Port 0 picks a free
    /// port: read it back with [`local_addr`](AsyncSocket::local_addr).
    ///
    /// # Errors
    ///
    /// When the address is taken or cannot be bound.
    pub fn tcp_listener(addr: SocketAddr) -> io::Result<AsyncSocket> {
        AsyncSocket::tcp_listener_with_backlog(addr, AsyncSocket::default_backlog())
    }

    /// [`tcp_listener`](AsyncSocket::tcp_listener) with room for `backlog`
    /// connections that the kernel has completed but the program has not
    /// accepted yet. The system caps it at its maximum (`somaxconn`); a
    /// burst of more connects than this waits for retransmitted SYNs (a
    /// second or more each) or fails.
    ///
    /// # Errors
    ///
    /// When the address is taken or cannot be bound.
    pub fn tcp_listener_with_backlog(addr: SocketAddr, backlog: u32) -> io::Result<AsyncSocket> {
        let sock = AsyncSocket::tcp_for(&addr)?;
        sock.set_reuseaddr(true)?;
        sock.bind(addr)?;
        sock.listen(i32::try_from(backlog).unwrap_or(i32::MAX))?;
        Ok(sock)
    }

    /// The listen backlog of [`tcp_listener`](AsyncSocket::tcp_listener):
    /// the system's maximum, `/proc/sys/net/core/somaxconn` (4096 on
    /// current Linux), or 1024 (tokio's default) where it cannot be read.
    /// std's listeners use 128, which makes a burst of a few thousand
    /// connects wait for SYN retransmissions.
    pub fn default_backlog() -> u32 {
        static BACKLOG: OnceLock<u32> = OnceLock::new();
        *BACKLOG.get_or_init(|| {
            let somaxconn = std::fs::read_to_string("/proc/sys/net/core/somaxconn");
            backlog_from(somaxconn.ok().as_deref())
        })
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

/// Backlog used when the system's maximum cannot be read (tokio's).
const FALLBACK_BACKLOG: u32 = 1024;

/// The backlog for the contents of `somaxconn`, if it could be read.
fn backlog_from(somaxconn: Option<&str>) -> u32 {
    somaxconn
        .and_then(|text| text.trim().parse::<u32>().ok())
        .filter(|&max| max > 0)
        .map_or(FALLBACK_BACKLOG, |max| max.min(i32::MAX as u32))
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

/// Wraps a std listener; it is made non-blocking. Its backlog stays what
/// std chose (128): `listen(AsyncSocket::default_backlog() as i32)` on the
/// result raises it, or use [`AsyncSocket::tcp_listener`].
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

#[cfg(test)]
mod tests {
    use super::{FALLBACK_BACKLOG, backlog_from};

    #[test]
    fn the_backlog_is_the_system_maximum_or_tokios_default() {
        let cases = [
            (Some("4096\n"), 4096),
            (Some("65535"), 65535),
            (Some("128\n"), 128),
            (None, FALLBACK_BACKLOG),
            (Some(""), FALLBACK_BACKLOG),
            (Some("lots"), FALLBACK_BACKLOG),
            (Some("0\n"), FALLBACK_BACKLOG),
            (Some("-1"), FALLBACK_BACKLOG),
            (Some("4294967295"), i32::MAX as u32),
        ];
        for (somaxconn, want) in cases {
            assert_eq!(backlog_from(somaxconn), want, "somaxconn {somaxconn:?}");
        }
        assert_eq!(FALLBACK_BACKLOG, 1024);
    }
}
