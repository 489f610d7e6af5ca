//! pycos' blocking mode (`AsyncSocket(sock, blocking=True)`): the same
//! operations as plain calls that block the calling thread, for use outside
//! tasks. They run the asynchronous implementation with waits that block in
//! `poll(2)` (see `io::wait`), so both modes behave alike, timeouts
//! included; the descriptor stays non-blocking and may be used by tasks
//! again afterwards.

use std::io;
use std::net::SocketAddr;

use super::AsyncSocket;
#[cfg(feature = "tls")]
use super::{TlsClient, TlsServer};
use crate::io::wait::{Mode, block_on};

/// Blocking operations on an [`AsyncSocket`], from
/// [`AsyncSocket::blocking`]. Each one follows the asynchronous method of the
/// same name, including [`settimeout`](AsyncSocket::settimeout).
///
/// Calling these inside a task blocks its whole scheduler until they return.
#[derive(Debug, Clone, Copy)]
pub struct Blocking<'a> {
    sock: &'a AsyncSocket,
}

impl AsyncSocket {
    /// This socket's blocking operations, for plain threads.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::io::AsyncSocket;
    ///
    /// let server = AsyncSocket::tcp_listener("127.0.0.1:0".parse()?)?;
    /// let client = AsyncSocket::tcp_v4()?;
    /// client.blocking().connect(server.local_addr()?)?;
    /// let (conn, _) = server.blocking().accept()?;
    /// client.blocking().send_msg(b"hello")?;
    /// assert_eq!(conn.blocking().recv_msg()?, Some(b"hello".to_vec()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn blocking(&self) -> Blocking<'_> {
        Blocking { sock: self }
    }
}

impl Blocking<'_> {
    /// See [`AsyncSocket::connect`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn connect(&self, addr: SocketAddr) -> io::Result<()> {
        block_on(self.sock.connect_in(addr, Mode::Blocking))
    }

    /// See [`AsyncSocket::accept`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn accept(&self) -> io::Result<(AsyncSocket, SocketAddr)> {
        block_on(self.sock.accept_in(Mode::Blocking))
    }

    /// See [`AsyncSocket::recv`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn recv(&self, bufsize: usize) -> io::Result<Vec<u8>> {
        block_on(self.sock.recv_in(bufsize, Mode::Blocking))
    }

    /// See [`AsyncSocket::recv_into`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn recv_into(&self, buf: &mut [u8]) -> io::Result<usize> {
        block_on(self.sock.recv_into_in(buf, Mode::Blocking))
    }

    /// See [`AsyncSocket::recvall`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn recvall(&self, n: usize) -> io::Result<Vec<u8>> {
        block_on(self.sock.recvall_in(n, Mode::Blocking))
    }

    /// See [`AsyncSocket::send`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn send(&self, data: &[u8]) -> io::Result<usize> {
        block_on(self.sock.send_in(data, Mode::Blocking))
    }

    /// See [`AsyncSocket::sendall`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn sendall(&self, data: &[u8]) -> io::Result<usize> {
        block_on(self.sock.sendall_in(data, Mode::Blocking))
    }

    /// See [`AsyncSocket::recvfrom`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn recvfrom(&self, bufsize: usize) -> io::Result<(Vec<u8>, SocketAddr)> {
        block_on(self.sock.recvfrom_in(bufsize, Mode::Blocking))
    }

    /// See [`AsyncSocket::sendto`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn sendto(&self, data: &[u8], addr: SocketAddr) -> io::Result<usize> {
        block_on(self.sock.sendto_in(data, addr, Mode::Blocking))
    }

    /// See [`AsyncSocket::send_msg`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn send_msg(&self, data: &[u8]) -> io::Result<()> {
        block_on(self.sock.send_msg_in(data, Mode::Blocking))
    }

    /// See [`AsyncSocket::recv_msg`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn recv_msg(&self) -> io::Result<Option<Vec<u8>>> {
        block_on(self.sock.recv_msg_in(Mode::Blocking))
    }
}

impl Blocking<'_> {
    /// See [`AsyncSocket::handshake`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn handshake(&self) -> io::Result<()> {
        block_on(
            self.sock
                .settle_tls(Mode::Blocking, &self.sock.deadline(Mode::Blocking)),
        )
    }
}

#[cfg(feature = "tls")]
impl Blocking<'_> {
    /// See [`AsyncSocket::start_tls_client`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn start_tls_client(&self, tls: &TlsClient) -> io::Result<()> {
        let session = tls.session(self.sock.peer_addr().ok())?;
        block_on(self.sock.handshake_in(
            session,
            Mode::Blocking,
            &self.sock.deadline(Mode::Blocking),
        ))
    }

    /// See [`AsyncSocket::start_tls_server`].
    ///
    /// # Errors
    ///
    /// As the asynchronous method.
    pub fn start_tls_server(&self, tls: &TlsServer) -> io::Result<()> {
        block_on(self.sock.handshake_in(
            tls.session()?,
            Mode::Blocking,
            &self.sock.deadline(Mode::Blocking),
        ))
    }
}

impl AsyncSocket {
    /// [`close`](AsyncSocket::close) for plain threads.
    ///
    /// # Errors
    ///
    /// As [`close`](AsyncSocket::close).
    pub fn close_blocking(self) -> io::Result<()> {
        block_on(self.close_in(Mode::Blocking))
    }
}
