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
    ///
    /// # Examples
    ///
    /// A TLS echo on loopback, with a self-signed certificate made for the
    /// example by the `rcgen` crate:
    ///
    /// ```
    /// use pycos::io::{AsyncSocket, TlsClient, TlsServer};
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn echo_once(listener: AsyncSocket) -> std::io::Result<()> {
    ///     let (conn, _peer) = listener.accept().await?; // no handshake yet
    ///     if let Some(msg) = conn.recv_msg().await? {   // handshake, then read
    ///         conn.send_msg(&msg).await?;
    ///     }
    ///     conn.close().await
    /// }
    ///
    /// #[task]
    /// fn client(addr: std::net::SocketAddr, tls: TlsClient) -> std::io::Result<Vec<u8>> {
    ///     let sock = AsyncSocket::tcp_v4()?.with_tls_client(tls);
    ///     sock.connect(addr).await?;                      // handshake included
    ///     sock.send_msg(b"secret").await?;
    ///     let reply = sock.recv_msg().await?.unwrap_or_default();
    ///     sock.close().await?;
    ///     Ok(reply)
    /// }
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dir = std::env::temp_dir().join(format!("pycos-tls-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])?;
    /// let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    /// std::fs::write(&cert, made.cert.pem())?;
    /// std::fs::write(&key, made.signing_key.serialize_pem())?;
    ///
    /// let sched = Pycos::new();
    /// let listener = AsyncSocket::tcp_listener("127.0.0.1:0".parse()?)?
    ///     .with_tls_server(TlsServer::from_pem_files(&cert, &key)?);
    /// let addr = listener.local_addr()?;
    /// let server = sched.spawn(echo_once(listener));
    /// let tls = TlsClient::from_pem_file(&cert)?.server_name("localhost");
    /// assert_eq!(sched.spawn(client(addr, tls)).value()?, b"secret");
    /// server.value()?;
    /// sched.finish()?;
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok(())
    /// # }
    /// ```
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
