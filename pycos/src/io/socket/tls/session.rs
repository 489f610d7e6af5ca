//! The TLS steps: each does what the socket allows now and otherwise says
//! which readiness it waits for, like the plain socket steps.

use std::io::{self, Read, Write};
use std::os::fd::BorrowedFd;
use std::sync::Mutex;

use rustls::Connection;

use super::session_error;
use crate::io::socket::stream::FdIo;
use crate::io::wait::{Stall, Step};
use crate::runtime::reactor::Direction;
use crate::util::lock;

/// Handles received records; on a protocol error the alert is sent if the
/// socket takes it, and the error ends the operation.
fn process(conn: &mut Connection, fd: BorrowedFd<'_>) -> Step<()> {
    if let Err(err) = conn.process_new_packets() {
        let _ = conn.write_tls(&mut FdIo(fd));
        return Err(Stall::Failed(session_error(err)));
    }
    Ok(())
}

/// Sends every pending record, or says it must wait for the socket.
fn flush_conn(conn: &mut Connection, fd: BorrowedFd<'_>) -> Step<()> {
    while conn.wants_write() {
        match conn.write_tls(&mut FdIo(fd)) {
            Ok(0) => return Err(Stall::Failed(io::ErrorKind::WriteZero.into())),
            Ok(_) => {}
            Err(err) => return Err(Stall::from_io(err, Direction::Write)),
        }
    }
    Ok(())
}

/// Whether the session's handshake has not finished.
pub(in crate::io::socket) fn is_handshaking(session: &Mutex<Connection>) -> bool {
    lock(session).is_handshaking()
}

/// One handshake step: finished, or waiting for the socket.
pub(in crate::io::socket) fn handshake(
    session: &Mutex<Connection>,
    fd: BorrowedFd<'_>,
) -> Step<()> {
    let mut conn = lock(session);
    loop {
        flush_conn(&mut conn, fd)?;
        if !conn.is_handshaking() {
            return Ok(());
        }
        match conn.read_tls(&mut FdIo(fd)) {
            Ok(0) => {
                let eof = io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed during the TLS handshake",
                );
                return Err(Stall::Failed(eof));
            }
            Ok(_) => process(&mut conn, fd)?,
            Err(err) => return Err(Stall::from_io(err, Direction::Read)),
        }
    }
}

/// One read of plaintext; `Ok(0)` at the end of the stream. A peer that
/// closes without a close notification also ends the stream, as in pycos
/// (Python's `suppress_ragged_eofs`).
pub(in crate::io::socket) fn read(
    session: &Mutex<Connection>,
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
) -> Step<usize> {
    let mut conn = lock(session);
    let mut closed = false;
    loop {
        match conn.reader().read(buf) {
            Ok(n) => return Ok(n),
            Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock && closed => return Ok(0),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {}
            Err(err) => return Err(Stall::Failed(err)),
        }
        match conn.read_tls(&mut FdIo(fd)) {
            Ok(0) => closed = true,
            Ok(_) => {}
            Err(err) => return Err(Stall::from_io(err, Direction::Read)),
        }
        process(&mut conn, fd)?;
        // Replies the session owes (key updates, alerts) go out when the
        // socket takes them; otherwise with the next write.
        let _ = flush_conn(&mut conn, fd);
    }
}

/// Takes a prefix of `buf` into the session and sends what the socket
/// accepts now; the rest goes with [`flush`].
pub(in crate::io::socket) fn write(
    session: &Mutex<Connection>,
    fd: BorrowedFd<'_>,
    buf: &[u8],
) -> Step<usize> {
    if buf.is_empty() {
        return Ok(0);
    }
    let mut conn = lock(session);
    for _ in 0..2 {
        let n = conn.writer().write(buf).map_err(Stall::Failed)?;
        let flushed = flush_conn(&mut conn, fd);
        if n > 0 {
            return Ok(n);
        }
        // The session's buffer was full: it must drain first.
        flushed?;
    }
    Err(Stall::Failed(io::ErrorKind::WriteZero.into()))
}

/// Sends every record the session holds.
pub(in crate::io::socket) fn flush(session: &Mutex<Connection>, fd: BorrowedFd<'_>) -> Step<()> {
    flush_conn(&mut lock(session), fd)
}

/// Queues the close notification (pycos' `unwrap()` on close).
pub(in crate::io::socket) fn close_notify(session: &Mutex<Connection>) {
    lock(session).send_close_notify();
}

/// 32 bytes of keying material exported from the finished handshake
/// (RFC 5705 / 8446 §7.5) under `label`; `None` while handshaking.
pub(in crate::io::socket) fn exporter(
    session: &Mutex<Connection>,
    label: &[u8],
) -> Option<[u8; 32]> {
    let conn = lock(session);
    if conn.is_handshaking() {
        return None;
    }
    conn.export_keying_material([0_u8; 32], label, None).ok()
}
