//! Stream operations: connect, accept, recv, recvall, send, sendall.
//!
//! Each public future is the `Mode::Reactor` instance of an operation
//! written once over non-blocking steps; [`Blocking`](super::Blocking) runs
//! the same code in `Mode::Blocking`.

use std::io;
use std::net::SocketAddr;
use std::os::fd::OwnedFd;

use rustix::io::Errno;
use rustix::net::{SocketFlags, sockopt};

use super::AsyncSocket;
use crate::io::error::is_timeout;
use crate::io::partial::Partial;
use crate::io::turn::enter;
use crate::io::wait::{Deadline, Mode, Stall, Step, drive, wait};
use crate::runtime::reactor::Direction;

impl AsyncSocket {
    /// Connects to `addr`; with [`with_tls_client`](AsyncSocket::with_tls_client)
    /// settings the TLS handshake follows (pycos' `connect`).
    ///
    /// # Errors
    ///
    /// `ConnectionRefused` and other connect failures, `TimedOut` (see
    /// [`settimeout`](AsyncSocket::settimeout)), TLS handshake failures
    /// (`InvalidData` with a [`TlsError`](super::TlsError)).
    pub async fn connect(&self, addr: SocketAddr) -> io::Result<()> {
        self.connect_in(addr, Mode::Reactor).await
    }

    pub(super) async fn connect_in(&self, addr: SocketAddr, mode: Mode) -> io::Result<()> {
        let deadline = self.deadline(mode);
        let reading = enter(&self.reading, mode, &deadline).await?;
        let writing = enter(&self.writing, mode, &deadline).await?;
        match rustix::net::connect(self.src.fd(), &addr) {
            Ok(()) => {}
            Err(Errno::INPROGRESS | Errno::INTR) => {
                wait(&self.src, Direction::Write, &deadline, mode).await?;
                drive(&self.src, mode, &deadline, || self.connected()).await?;
            }
            Err(err) => return Err(err.into()),
        }
        drop((writing, reading));
        #[cfg(feature = "tls")]
        if let Some(client) = &self.tls.client {
            self.handshake_in(client.session(Some(addr))?, mode, &deadline)
                .await?;
        }
        Ok(())
    }

    /// Whether a non-blocking connect has finished, and how.
    fn connected(&self) -> Step<()> {
        if let Err(errno) = sockopt::socket_error(self.src.fd()).map_err(io::Error::from)? {
            return Err(Stall::Failed(errno.into()));
        }
        match rustix::net::getpeername(self.src.fd()) {
            Ok(_) => Ok(()),
            Err(Errno::NOTCONN) => Err(Stall::Wait(Direction::Write)),
            Err(err) => Err(Stall::Failed(err.into())),
        }
    }

    /// Accepts a connection: the new socket and the peer's address. On a
    /// listener made [`with_tls_server`](AsyncSocket::with_tls_server) the
    /// connection's TLS session is started but its handshake is left to the
    /// connection's first operation (or [`handshake`](AsyncSocket::handshake)),
    /// so a client that connects and stays silent holds up nobody else, and
    /// a client that fails its handshake fails on its own connection: an
    /// error from `accept` is always the listener's.
    ///
    /// # Errors
    ///
    /// Accept failures (descriptor limit, ...), `TimedOut`.
    pub async fn accept(&self) -> io::Result<(AsyncSocket, SocketAddr)> {
        self.accept_in(Mode::Reactor).await
    }

    pub(super) async fn accept_in(&self, mode: Mode) -> io::Result<(AsyncSocket, SocketAddr)> {
        let deadline = self.deadline(mode);
        let turn = enter(&self.reading, mode, &deadline).await?;
        let (fd, addr) = drive(&self.src, mode, &deadline, || self.try_accept()).await?;
        drop(turn);
        let conn = AsyncSocket::from_fd(fd, false);
        #[cfg(feature = "tls")]
        if let Some(server) = &self.tls.server {
            // The handshake is the connection's (see `secure`).
            conn.tls.begin(server.session()?)?;
        }
        Ok((conn, addr))
    }

    fn try_accept(&self) -> Step<(OwnedFd, SocketAddr)> {
        loop {
            let flags = SocketFlags::NONBLOCK | SocketFlags::CLOEXEC;
            match rustix::net::acceptfrom_with(self.src.fd(), flags) {
                Ok((fd, Some(addr))) => {
                    let addr = SocketAddr::try_from(addr)
                        .map_err(|_| io::Error::other("peer is not an IP address"))?;
                    return Ok((fd, addr));
                }
                Ok((_, None)) => {
                    return Err(Stall::Failed(io::Error::other(
                        "accept gave no peer address",
                    )));
                }
                // A connection reset while queued: take the next one.
                Err(Errno::INTR | Errno::CONNABORTED) => {}
                Err(err) => return Err(Stall::from_io(err.into(), Direction::Read)),
            }
        }
    }

    /// Receives up to `bufsize` bytes: what the first successful read gives;
    /// empty at end of input.
    ///
    /// # Errors
    ///
    /// Connection failures, `TimedOut`.
    pub async fn recv(&self, bufsize: usize) -> io::Result<Vec<u8>> {
        self.recv_in(bufsize, Mode::Reactor).await
    }

    pub(super) async fn recv_in(&self, bufsize: usize, mode: Mode) -> io::Result<Vec<u8>> {
        let mut buf = vec![0; bufsize];
        let n = self.recv_into_in(&mut buf, mode).await?;
        buf.truncate(n);
        Ok(buf)
    }

    /// [`recv`](AsyncSocket::recv) into a buffer; how many bytes (0: end of
    /// input, or `buf` is empty).
    ///
    /// # Errors
    ///
    /// Connection failures, `TimedOut`.
    pub async fn recv_into(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.recv_into_in(buf, Mode::Reactor).await
    }

    pub(super) async fn recv_into_in(&self, buf: &mut [u8], mode: Mode) -> io::Result<usize> {
        let deadline = self.deadline(mode);
        self.settle_tls(mode, &deadline).await?;
        let _turn = enter(&self.reading, mode, &deadline).await?;
        if buf.is_empty() {
            return Ok(0);
        }
        drive(&self.src, mode, &deadline, || self.try_read(buf)).await
    }

    /// Receives exactly `n` bytes, fewer only at end of input (then the bytes
    /// that came; empty if none did) or when pycos' time limit passes after
    /// some data came: the limit restarts with each arrival.
    ///
    /// # Errors
    ///
    /// Connection failures; `TimedOut` only if nothing arrived in time.
    pub async fn recvall(&self, n: usize) -> io::Result<Vec<u8>> {
        self.recvall_in(n, Mode::Reactor).await
    }

    pub(super) async fn recvall_in(&self, n: usize, mode: Mode) -> io::Result<Vec<u8>> {
        let limit = self.gettimeout();
        let deadline = Deadline::after(limit, mode);
        self.settle_tls(mode, &deadline).await?;
        let _turn = enter(&self.reading, mode, &deadline).await?;
        let mut got = Partial::new(&self.pending);
        match self.fill(&mut got, n, limit, mode).await {
            // pycos: on a timeout, what came is the result.
            Err(err) if !is_timeout(&err) || got.is_empty() => Err(err),
            _ => Ok(got.take()),
        }
    }

    /// Sends what the socket takes now (at least one byte, waiting for room
    /// if needed); how many bytes.
    ///
    /// # Errors
    ///
    /// Connection failures (`BrokenPipe`, `ConnectionReset`), `TimedOut`.
    pub async fn send(&self, data: &[u8]) -> io::Result<usize> {
        self.send_in(data, Mode::Reactor).await
    }

    pub(super) async fn send_in(&self, data: &[u8], mode: Mode) -> io::Result<usize> {
        let deadline = self.deadline(mode);
        self.settle_tls(mode, &deadline).await?;
        let _turn = enter(&self.writing, mode, &deadline).await?;
        let n = drive(&self.src, mode, &deadline, || self.try_write(data)).await?;
        match drive(&self.src, mode, &deadline, || self.try_flush()).await {
            Err(err) if !is_timeout(&err) => Err(err),
            _ => Ok(n),
        }
    }

    /// Sends all of `data`; the count sent, which is less than `data.len()`
    /// only when pycos' time limit (total, not restarted) passed after some
    /// bytes went out.
    ///
    /// # Errors
    ///
    /// Connection failures; `TimedOut` if nothing was sent in time.
    pub async fn sendall(&self, data: &[u8]) -> io::Result<usize> {
        self.sendall_in(data, Mode::Reactor).await
    }

    pub(super) async fn sendall_in(&self, data: &[u8], mode: Mode) -> io::Result<usize> {
        let deadline = self.deadline(mode);
        self.settle_tls(mode, &deadline).await?;
        let _turn = enter(&self.writing, mode, &deadline).await?;
        self.send_locked(data, &deadline, mode).await
    }

    /// `sendall` for a caller that holds the write turn.
    pub(super) async fn send_locked(
        &self,
        data: &[u8],
        deadline: &Deadline,
        mode: Mode,
    ) -> io::Result<usize> {
        let mut sent = 0;
        while sent < data.len() {
            match self.try_write(&data[sent..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(k) => sent += k,
                Err(Stall::Wait(direction)) => {
                    match wait(&self.src, direction, deadline, mode).await {
                        Ok(()) => {}
                        Err(err) if is_timeout(&err) && sent > 0 => return Ok(sent),
                        Err(err) => return Err(err),
                    }
                }
                Err(Stall::Failed(err)) => return Err(err),
            }
        }
        match drive(&self.src, mode, deadline, || self.try_flush()).await {
            Err(err) if !is_timeout(&err) || sent == 0 => Err(err),
            _ => Ok(sent),
        }
    }
}
