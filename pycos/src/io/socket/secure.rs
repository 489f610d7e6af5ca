//! TLS on a socket: settings for `connect`/`accept`, starting TLS on a
//! connected socket, and closing with a close notification.

use std::io;

use rustls::Connection;

use super::{AsyncSocket, TlsClient, TlsServer, tls};
use crate::io::turn::enter;
use crate::io::wait::{Deadline, Mode, drive};

impl AsyncSocket {
    /// Makes [`accept`](AsyncSocket::accept) run a TLS server handshake on
    /// each connection (pycos' `AsyncSocket(sock, certfile=.., keyfile=..)`
    /// on a listening socket).
    #[must_use]
    pub fn with_tls_server(mut self, tls: TlsServer) -> AsyncSocket {
        self.tls.server = Some(tls);
        self
    }

    /// Makes [`connect`](AsyncSocket::connect) run a TLS client handshake
    /// after connecting.
    #[must_use]
    pub fn with_tls_client(mut self, tls: TlsClient) -> AsyncSocket {
        self.tls.client = Some(tls);
        self
    }

    /// Whether a TLS session is established.
    pub fn is_tls(&self) -> bool {
        self.tls.is_active()
    }

    /// Starts TLS as the client on this connected socket.
    ///
    /// # Errors
    ///
    /// `AlreadyExists` if TLS was started before; handshake failures
    /// (`InvalidData` with a [`TlsError`](super::TlsError), `UnexpectedEof`);
    /// `TimedOut`.
    pub async fn start_tls_client(&self, tls: &TlsClient) -> io::Result<()> {
        let session = tls.session(self.peer_addr().ok())?;
        self.handshake_in(session, Mode::Reactor, &self.deadline(Mode::Reactor))
            .await
    }

    /// Starts TLS as the server on this connected socket.
    ///
    /// # Errors
    ///
    /// As [`start_tls_client`](AsyncSocket::start_tls_client).
    pub async fn start_tls_server(&self, tls: &TlsServer) -> io::Result<()> {
        self.handshake_in(tls.session()?, Mode::Reactor, &self.deadline(Mode::Reactor))
            .await
    }

    /// Installs `session` and drives its handshake to the end.
    pub(super) async fn handshake_in(
        &self,
        session: Connection,
        mode: Mode,
        deadline: &Deadline,
    ) -> io::Result<()> {
        let _reading = enter(&self.reading, mode, deadline).await?;
        let _writing = enter(&self.writing, mode, deadline).await?;
        let session = self.tls.begin(session)?;
        let fd = self.src.fd();
        drive(&self.src, mode, deadline, || tls::handshake(session, fd)).await
    }

    /// Closes the socket; on a TLS socket the close notification is sent
    /// first, within the time limit (pycos' `close`, which unwraps SSL).
    /// Dropping the socket also closes it, without the notification.
    ///
    /// # Errors
    ///
    /// When the close notification cannot be sent; the socket is closed
    /// anyway.
    pub async fn close(self) -> io::Result<()> {
        self.close_in(Mode::Reactor).await
    }

    pub(super) async fn close_in(self, mode: Mode) -> io::Result<()> {
        let Some(session) = self.tls.session() else {
            return Ok(());
        };
        let deadline = self.deadline(mode);
        let _writing = enter(&self.writing, mode, &deadline).await?;
        tls::close_notify(session);
        drive(&self.src, mode, &deadline, || {
            tls::flush(session, self.src.fd())
        })
        .await
    }
}
