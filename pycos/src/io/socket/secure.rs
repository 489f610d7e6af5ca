//! TLS on a socket, the parts every socket has (with or without the `tls`
//! feature): the server handshake an accepted connection does in its first
//! operation, and closing with a close notification. Settings for
//! `connect`/`accept` and starting TLS on a connected socket are in
//! `tls::start`.
//!
//! `accept` on a TLS listener installs the server session and returns at
//! once (Go's `tls.Listener` does the same): a handshake needs the peer, and
//! one that never answers must not hold up the clients behind it. The
//! handshake then runs at the start of the connection's first operation,
//! within that operation's time limit, or in [`handshake`](AsyncSocket::handshake)
//! for a server that wants it done first. A failure belongs to that
//! connection: its operations fail (the first with the cause, later ones
//! saying that the handshake failed), the listener keeps accepting.

use std::io;

use super::{AsyncSocket, tls};
use crate::io::turn::enter;
use crate::io::wait::{Deadline, Mode, Stall, Step, drive};

impl AsyncSocket {
    /// Whether the socket speaks TLS: a session was started (by `connect`,
    /// `accept`, or `start_tls_*`). On a connection from `accept` its
    /// handshake may still be to come, in the first operation.
    pub fn is_tls(&self) -> bool {
        self.tls.is_active()
    }

    /// 32 bytes of keying material exported from the TLS session under
    /// `label` (RFC 5705, RFC 8446 §7.5): the same on both ends of one
    /// session and on no other, so a protocol run over the connection can
    /// bind its own authentication to this very TLS session. `None` without
    /// TLS or before its handshake is done.
    pub fn tls_exporter(&self, label: &[u8]) -> Option<[u8; 32]> {
        tls::exporter(self.tls.session()?, label)
    }

    /// Completes the TLS handshake of a connection from a TLS listener's
    /// [`accept`](AsyncSocket::accept) now, instead of in its first
    /// operation; does nothing on a socket without TLS or whose handshake
    /// is done. Bounded by [`settimeout`](AsyncSocket::settimeout) or
    /// [`.timeout(t)`](crate::WaitExt::timeout); a handshake cut short that
    /// way goes on in the next operation.
    ///
    /// # Errors
    ///
    /// The handshake's failure (`InvalidData` with a
    /// [`TlsError`](super::TlsError) for a peer that does not speak TLS or
    /// is refused, `UnexpectedEof`, ...), `TimedOut`.
    pub async fn handshake(&self) -> io::Result<()> {
        self.settle_tls(Mode::Reactor, &self.deadline(Mode::Reactor))
            .await
    }

    /// Finishes a handshake left to this operation; a no-op for sockets
    /// without TLS or with the handshake done (one check of the session).
    pub(super) async fn settle_tls(&self, mode: Mode, deadline: &Deadline) -> io::Result<()> {
        let Some(session) = self.tls.session() else {
            return Ok(());
        };
        if !tls::is_handshaking(session) {
            return Ok(());
        }
        // Both directions, always reading first: operations waiting for
        // either queue behind the handshake, and two settling operations
        // cannot hold one turn each.
        let _reading = enter(&self.reading, mode, deadline).await?;
        let _writing = enter(&self.writing, mode, deadline).await?;
        drive(&self.src, mode, deadline, || self.settle_step()).await
    }

    /// One step of a pending handshake: `Ok` once there is none. A failure
    /// is kept for the operations that follow.
    pub(super) fn settle_step(&self) -> Step<()> {
        let Some(session) = self.tls.session() else {
            return Ok(());
        };
        if let Some(err) = self.tls.failure() {
            return Err(Stall::Failed(err));
        }
        if !tls::is_handshaking(session) {
            return Ok(());
        }
        match tls::handshake(session, self.src.fd()) {
            Err(Stall::Failed(err)) => {
                self.tls.fail(&err);
                Err(Stall::Failed(err))
            }
            other => other,
        }
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
