//! [`AsyncSocket`]: pycos' asynchronous socket over TCP and UDP, IPv4 and
//! IPv6, with optional TLS.
//!
//! - `open`: new sockets, listeners, `create_connection`, std conversions;
//! - `options`: addresses and socket options;
//! - `tcp`: connect, accept, recv, recvall, send, sendall;
//! - `udp`: recvfrom, sendto;
//! - `framing`: send_msg / recv_msg (4-byte big-endian length prefix);
//! - `tls` and `secure`: rustls sessions driven by the same non-blocking
//!   steps, TLS settings for connect/accept, the handshake an accepted
//!   connection does first, close with a close notification (`tls` is the
//!   `tls` cargo feature; `no_tls` stands in without it);
//! - `stream`: the byte-level steps every stream operation is made of;
//! - `blocking`: the same operations for plain threads;
//! - `compat`: the `futures-io` traits;
//! - `error`: the errors that ride inside `io::Error`.
//!
//! System calls go through `rustix`, which wraps each one safely (no unsafe
//! code here), and readiness through the reactor seam (`io::registration`).

mod blocking;
mod compat;
mod error;
mod framing;
mod open;
mod options;
mod secure;
mod stream;
mod tcp;
#[cfg(feature = "tls")]
mod tls;
#[cfg(not(feature = "tls"))]
#[path = "no_tls.rs"]
mod tls;
mod udp;

use crate::io::limit::OpLimit;
use std::fmt;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub use blocking::Blocking;
#[cfg(feature = "tls")]
pub use error::TlsError;
pub use error::{FrameTooLarge, TruncatedFrame};
#[cfg(feature = "tls")]
pub use tls::{TlsClient, TlsServer};

use super::partial::Pending;
use super::registration::IoSource;
use super::turn::Turn;
use super::wait::{Deadline, Mode};
use crate::IntoTimeout;

/// Largest `recv_msg` payload accepted unless changed with
/// [`set_max_msg_size`](AsyncSocket::set_max_msg_size): 64 MiB.
pub const DEFAULT_MAX_MSG_SIZE: usize = 64 * 1024 * 1024;

/// An asynchronous socket (pycos' `AsyncSocket`): TCP or UDP, IPv4 or IPv6,
/// optionally TLS, whose operations are futures awaited in a task.
///
/// Operations take `&self`, and the type is `Send + Sync`: share one socket
/// between a reading and a writing task with `Arc<AsyncSocket>`. Operations
/// in the same direction queue in arrival order, so two tasks sending framed
/// messages never interleave their bytes.
///
/// Timeouts come two ways. [`.timeout(t)`](crate::WaitExt::timeout) on any
/// operation gives `None` when `t` passes first; a read abandoned this way
/// keeps its bytes for the next read. [`settimeout`](AsyncSocket::settimeout)
/// sets pycos' per-operation limit instead: operations then fail with
/// [`TimedOut`](std::io::ErrorKind::TimedOut), except that `recvall` returns the bytes that
/// arrived (its limit restarts whenever data comes, an inactivity limit) and
/// `sendall` returns how many bytes it sent (a total limit).
///
/// # Examples
///
/// An echo server task and a client, in one program:
///
/// ```
/// use std::io;
/// use pycos::prelude::*;
///
/// #[task]
/// fn echo(listener: AsyncSocket, task: TaskCtx) -> io::Result<()> {
///     task.set_daemon(true);
///     loop {
///         let (conn, _peer) = listener.accept().await?;
///         while let Some(msg) = conn.recv_msg().await? {
///             conn.send_msg(&msg).await?;
///         }
///     }
/// }
///
/// #[task]
/// fn client(addr: std::net::SocketAddr) -> io::Result<Vec<u8>> {
///     let sock = AsyncSocket::create_connection(addr, 5.0, None).await?;
///     sock.send_msg(b"ping").await?;
///     Ok(sock.recv_msg().await?.unwrap_or_default())
/// }
///
/// let listener = AsyncSocket::tcp_listener("127.0.0.1:0".parse()?)?;
/// let addr = listener.local_addr()?;
/// let sched = Pycos::new();
/// sched.spawn(echo(listener));
/// assert_eq!(sched.spawn(client(addr)).value()?, b"ping");
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AsyncSocket {
    src: IoSource,
    datagram: bool,
    /// pycos' per-operation limit (`settimeout`).
    timeout: OpLimit,
    max_msg: AtomicUsize,
    /// Bytes read but not delivered (an abandoned read); served first.
    pending: Mutex<Pending>,
    reading: Turn,
    writing: Turn,
    tls: tls::TlsState,
}

impl AsyncSocket {
    pub(super) fn from_fd(fd: OwnedFd, datagram: bool) -> AsyncSocket {
        AsyncSocket {
            src: IoSource::new(fd),
            datagram,
            timeout: OpLimit::new(),
            max_msg: AtomicUsize::new(DEFAULT_MAX_MSG_SIZE),
            pending: Mutex::default(),
            reading: Turn::default(),
            writing: Turn::default(),
            tls: tls::TlsState::default(),
        }
    }

    /// Whether this is a datagram (UDP) socket.
    pub fn is_datagram(&self) -> bool {
        self.datagram
    }

    /// Sets pycos' per-operation time limit (see the type's docs); `None`
    /// or infinity: no limit, the default. Zero tries each operation once.
    pub fn settimeout(&self, limit: impl IntoTimeout) {
        self.timeout.set(limit);
    }

    /// The per-operation time limit, if any.
    pub fn gettimeout(&self) -> Option<Duration> {
        self.timeout.get()
    }

    /// The deadline of an operation starting now.
    fn deadline(&self, mode: Mode) -> Deadline {
        Deadline::after(self.gettimeout(), mode)
    }

    /// Sets the largest payload [`recv_msg`](AsyncSocket::recv_msg) accepts.
    pub fn set_max_msg_size(&self, max: usize) {
        self.max_msg.store(max, Ordering::Relaxed);
    }

    /// The largest payload [`recv_msg`](AsyncSocket::recv_msg) accepts.
    pub fn max_msg_size(&self) -> usize {
        self.max_msg.load(Ordering::Relaxed)
    }

    /// The descriptor number (pycos' `fileno()`, used as a client id in the
    /// chat examples).
    pub fn fileno(&self) -> RawFd {
        self.src.fd().as_raw_fd()
    }

    /// Gives up the socket: deregisters it (when called on its scheduler)
    /// and returns the descriptor, still non-blocking (pycos' `unwrap()`).
    /// Bytes kept from an abandoned read and any TLS session are dropped.
    pub fn into_fd(self) -> OwnedFd {
        self.src.into_fd()
    }

    /// Gives up the socket, returning also the bytes kept from an abandoned
    /// read (so an `AsyncFile` made from it can serve them first).
    pub(crate) fn into_parts(self) -> (OwnedFd, Vec<u8>) {
        let pending = crate::util::lock(&self.pending).take_all();
        (self.src.into_fd(), pending)
    }
}

impl AsFd for AsyncSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.src.fd()
    }
}

impl AsRawFd for AsyncSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fileno()
    }
}

impl fmt::Debug for AsyncSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncSocket")
            .field("fd", &self.fileno())
            .field("datagram", &self.datagram)
            .field("local", &self.local_addr().ok())
            .field("tls", &self.tls.is_active())
            .finish_non_exhaustive()
    }
}
