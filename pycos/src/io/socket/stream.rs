//! The non-blocking steps stream operations are made of: one read, one
//! write, one flush, each through the TLS session when there is one.

use std::io;
#[cfg(feature = "tls")]
use std::io::{Read, Write};
use std::os::fd::BorrowedFd;
use std::time::Duration;

use rustix::io::Errno;
use rustix::net::{RecvFlags, SendFlags};

use super::{AsyncSocket, tls};
use crate::io::partial::{Partial, read_pending};
use crate::io::wait::{Deadline, Mode, Stall, Step, wait};
use crate::runtime::reactor::Direction;

impl AsyncSocket {
    /// One read into `buf` (not empty): bytes kept from an abandoned read
    /// first, then the TLS session or the socket. `Ok(0)` is end of input.
    pub(super) fn try_read(&self, buf: &mut [u8]) -> Step<usize> {
        let n = read_pending(&self.pending, buf);
        if n > 0 {
            return Ok(n);
        }
        match self.tls.session() {
            Some(session) => tls::read(session, self.src.fd(), buf),
            None => recv(self.src.fd(), buf).map_err(|err| Stall::from_io(err, Direction::Read)),
        }
    }

    /// Reads into `part` until it holds `want` bytes or input ends. The
    /// time `limit` restarts whenever bytes arrive (an inactivity limit);
    /// on `TimedOut` the bytes stay in `part`.
    pub(super) async fn fill(
        &self,
        part: &mut Partial<'_>,
        want: usize,
        limit: Option<Duration>,
        mode: Mode,
    ) -> io::Result<()> {
        let mut deadline = Deadline::after(limit, mode);
        while part.len() < want {
            match self.try_read(part.spare(want - part.len())) {
                Ok(0) => break,
                Ok(n) => {
                    part.advance(n);
                    deadline = Deadline::after(limit, mode);
                }
                Err(Stall::Wait(direction)) => wait(&self.src, direction, &deadline, mode).await?,
                Err(Stall::Failed(err)) => return Err(err),
            }
        }
        Ok(())
    }

    /// One write of a prefix of `buf`; how many bytes were taken.
    pub(super) fn try_write(&self, buf: &[u8]) -> Step<usize> {
        match self.tls.session() {
            Some(session) => tls::write(session, self.src.fd(), buf),
            None => send(self.src.fd(), buf).map_err(|err| Stall::from_io(err, Direction::Write)),
        }
    }

    /// Sends what the TLS session still holds (nothing to do without TLS).
    pub(super) fn try_flush(&self) -> Step<()> {
        match self.tls.session() {
            Some(session) => tls::flush(session, self.src.fd()),
            None => Ok(()),
        }
    }
}

/// `recv(2)`, retried when a signal interrupts it.
pub(super) fn recv(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match rustix::net::recv(fd, &mut *buf, RecvFlags::empty()) {
            Ok((n, _)) => return Ok(n),
            Err(Errno::INTR) => {}
            Err(err) => return Err(err.into()),
        }
    }
}

/// `send(2)` without `SIGPIPE` (a closed peer is an `EPIPE` error instead
/// of killing the process), retried when a signal interrupts it.
pub(super) fn send(fd: BorrowedFd<'_>, buf: &[u8]) -> io::Result<usize> {
    loop {
        match rustix::net::send(fd, buf, SendFlags::NOSIGNAL) {
            Ok(n) => return Ok(n),
            Err(Errno::INTR) => {}
            Err(err) => return Err(err.into()),
        }
    }
}

/// The socket as `Read + Write`, for rustls' `read_tls`/`write_tls`.
#[cfg(feature = "tls")]
pub(super) struct FdIo<'a>(pub(super) BorrowedFd<'a>);

#[cfg(feature = "tls")]
impl Read for FdIo<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        recv(self.0, buf)
    }
}

#[cfg(feature = "tls")]
impl Write for FdIo<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        send(self.0, buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
