//! Turning TLS on: settings for `connect`/`accept`, and starting TLS on a
//! connected socket.

use std::io;

use rustls::Connection;

use super::{TlsClient, TlsServer};
use crate::io::socket::AsyncSocket;
use crate::io::turn::enter;
use crate::io::wait::{Deadline, Mode, drive};

impl AsyncSocket {
    /// Makes [`accept`](AsyncSocket::accept) start a TLS server session on
    /// each connection (pycos' `AsyncSocket(sock, certfile=.., keyfile=..)`
    /// on a listening socket); its handshake runs in the connection's first
    /// operation (see [`handshake`](AsyncSocket::handshake)).
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
    pub(in crate::io::socket) async fn handshake_in(
        &self,
        session: Connection,
        mode: Mode,
        deadline: &Deadline,
    ) -> io::Result<()> {
        let _reading = enter(&self.reading, mode, deadline).await?;
        let _writing = enter(&self.writing, mode, deadline).await?;
        self.tls.begin(session)?;
        drive(&self.src, mode, deadline, || self.settle_step()).await
    }
}
