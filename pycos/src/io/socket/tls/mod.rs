//! TLS on [`AsyncSocket`] with rustls, driven by the same non-blocking steps
//! as plain sockets (`read_tls`/`write_tls` on the descriptor, waiting in the
//! reactor when the kernel has nothing), so a handshake never blocks the
//! scheduler.
//!
//! rustls was chosen over OpenSSL bindings because it is pure Rust, needs no
//! system library, and separates the TLS state machine from I/O, which is
//! exactly what a readiness-driven socket needs. The `ring` provider is named
//! explicitly, so no process-wide default has to be installed. PEM files are
//! parsed by rustls' own `pki-types` (no extra crate).
//!
//! pycos' model is kept: a server loads a certificate chain and key, and a
//! client trusts the certificates in one PEM file (a self-signed or private
//! CA). Unlike pycos, the client also checks the server's name: by default
//! the IP address it connected to, or the name given to
//! [`TlsClient::server_name`].
//!
//! - `config`: [`TlsServer`] and [`TlsClient`], loaded from PEM files;
//! - `session`: the non-blocking handshake, read, write and flush steps;
//! - `start`: TLS settings for connect/accept, TLS on a connected socket.
//!
//! All of it is the `tls` cargo feature (on by default); without it,
//! `no_tls` stands in with the same names and no session ever exists.

mod config;
mod session;
mod start;

use std::fmt;
use std::io;
use std::sync::{Mutex, OnceLock};

use rustls::Connection;

pub use config::{TlsClient, TlsServer};
pub(super) use session::{close_notify, exporter, flush, handshake, is_handshaking, read, write};

use super::TlsError;

pub(super) fn session_error(err: rustls::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, TlsError::from_rustls(err))
}

/// A socket's TLS settings (for `connect`/`accept`) and its session.
#[derive(Default)]
pub(super) struct TlsState {
    pub(super) server: Option<TlsServer>,
    pub(super) client: Option<TlsClient>,
    session: OnceLock<Mutex<Connection>>,
    /// Why the handshake failed, for the operations after the one that saw
    /// it (the session cannot report it twice).
    failed: OnceLock<(io::ErrorKind, TlsError)>,
}

impl TlsState {
    /// Remembers that the handshake failed with `err`.
    pub(super) fn fail(&self, err: &io::Error) {
        let why = TlsError::from_handshake(err);
        let _ = self.failed.set((err.kind(), why));
    }

    /// The handshake's failure, for every operation after it.
    pub(super) fn failure(&self) -> Option<io::Error> {
        self.failed
            .get()
            .map(|(kind, why)| io::Error::new(*kind, why.clone()))
    }

    pub(super) fn session(&self) -> Option<&Mutex<Connection>> {
        self.session.get()
    }

    pub(super) fn is_active(&self) -> bool {
        self.session.get().is_some()
    }

    /// Installs the session; a socket has at most one.
    pub(super) fn begin(&self, conn: Connection) -> io::Result<&Mutex<Connection>> {
        self.session.set(Mutex::new(conn)).map_err(|_| {
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                "TLS was already started on this socket",
            )
        })?;
        self.session
            .get()
            .ok_or_else(|| io::Error::other("TLS session missing"))
    }
}

impl fmt::Debug for TlsState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsState")
            .field("server", &self.server.is_some())
            .field("client", &self.client.is_some())
            .field("active", &self.is_active())
            .finish()
    }
}
