//! [`AsyncFile`]'s operations: read, read_full, readline, write,
//! write_full — each made of one primitive read or write that serves kept
//! bytes first and otherwise waits in the reactor or on the worker thread.

use std::io;
use std::os::fd::BorrowedFd;

use rustix::io::Errno;

use super::{AsyncFile, Backend};
use crate::io::error::is_timeout;
use crate::io::partial::{Partial, read_pending, unread};
use crate::io::turn::enter;
use crate::io::wait::{Deadline, Mode, Stall, Step, drive};
use crate::runtime::reactor::Direction;
use crate::util::lock;

/// Bytes read at a time by `readline`.
const LINE_CHUNK: usize = 16 * 1024;

impl AsyncFile {
    fn deadline(&self) -> Deadline {
        Deadline::after(self.gettimeout(), Mode::Reactor)
    }

    /// One read into `buf` (not empty): kept bytes first. `Ok(0)`: end.
    async fn read_some(&self, buf: &mut [u8], deadline: &Deadline) -> io::Result<usize> {
        let n = read_pending(&self.pending, buf);
        if n > 0 {
            return Ok(n);
        }
        match &self.backend {
            Backend::Polled(src) => {
                drive(src, Mode::Reactor, deadline, || try_read(src.fd(), buf)).await
            }
            Backend::Thread(worker) => {
                let data = worker.read(buf.len(), deadline).await?;
                let n = data.len().min(buf.len());
                buf[..n].copy_from_slice(&data[..n]);
                unread(&self.pending, &data[n..]);
                Ok(n)
            }
        }
    }

    /// One write of a prefix of `data` (not empty).
    async fn write_some(&self, data: &[u8], deadline: &Deadline) -> io::Result<usize> {
        match &self.backend {
            Backend::Polled(src) => {
                drive(src, Mode::Reactor, deadline, || try_write(src.fd(), data)).await
            }
            Backend::Thread(worker) => worker.write(data, deadline).await,
        }
    }

    /// Reads until `got` holds `want` bytes or input ends.
    async fn collect(
        &self,
        got: &mut Partial<'_>,
        want: usize,
        deadline: &Deadline,
    ) -> io::Result<()> {
        while got.len() < want {
            let n = self
                .read_some(got.spare(want - got.len()), deadline)
                .await?;
            if n == 0 {
                break;
            }
            got.advance(n);
        }
        Ok(())
    }

    /// Reads at most `size` bytes: what the first successful read gives
    /// (empty at end of input). `size == 0` reads everything up to the end
    /// of input, as pycos' `read()` does.
    ///
    /// # Errors
    ///
    /// Read failures; `TimedOut` (to the end of input: only if nothing came).
    pub async fn read(&self, size: usize) -> io::Result<Vec<u8>> {
        if size == 0 {
            return self.read_full(usize::MAX).await;
        }
        let deadline = self.deadline();
        let _turn = enter(&self.reading, Mode::Reactor, &deadline).await?;
        let mut buf = vec![0; size];
        let n = self.read_some(&mut buf, &deadline).await?;
        buf.truncate(n);
        Ok(buf)
    }

    /// Reads exactly `size` bytes, fewer at end of input or when pycos' time
    /// limit passes after some bytes came (pycos' `read(size, full=True)`).
    ///
    /// # Errors
    ///
    /// Read failures; `TimedOut` only if nothing came in time.
    pub async fn read_full(&self, size: usize) -> io::Result<Vec<u8>> {
        let deadline = self.deadline();
        let _turn = enter(&self.reading, Mode::Reactor, &deadline).await?;
        let mut got = Partial::new(&self.pending);
        match self.collect(&mut got, size, &deadline).await {
            // pycos: on a timeout, what came is the result.
            Err(err) if !is_timeout(&err) || got.is_empty() => Err(err),
            _ => Ok(got.take()),
        }
    }

    /// Reads a line, `\n` included; at end of input, what is left (empty
    /// when nothing is). Bytes after the line are kept for the next read.
    ///
    /// # Errors
    ///
    /// Read failures; `TimedOut` (the partial line is kept for the next
    /// read).
    pub async fn readline(&self) -> io::Result<Vec<u8>> {
        self.readline_max(usize::MAX).await
    }

    /// [`readline`](AsyncFile::readline) that stops after `max` bytes
    /// (pycos' `readline(size)`); `max == 0` means no limit.
    ///
    /// # Errors
    ///
    /// As [`readline`](AsyncFile::readline).
    pub async fn readline_max(&self, max: usize) -> io::Result<Vec<u8>> {
        let max = if max == 0 { usize::MAX } else { max };
        let deadline = self.deadline();
        let _turn = enter(&self.reading, Mode::Reactor, &deadline).await?;
        // The line is cut out of the kept bytes, which the loop reads ahead
        // into: nothing is copied twice, nothing lives outside `pending`
        // across a wait (a timeout or a throw loses no byte), and only the
        // new bytes are searched each time round.
        let mut scanned = 0;
        loop {
            let room = {
                let mut pending = lock(&self.pending);
                let bytes = pending.bytes();
                let end = bytes.len().min(max);
                if let Some(pos) = bytes[scanned..end].iter().position(|&b| b == b'\n') {
                    return Ok(pending.take_front(scanned + pos + 1));
                }
                if end == max {
                    return Ok(pending.take_front(max));
                }
                scanned = end;
                LINE_CHUNK.min(max - end)
            };
            if self.read_ahead(room, &deadline).await? == 0 {
                return Ok(lock(&self.pending).take_all());
            }
        }
    }

    /// Appends one read of at most `max` bytes to the kept bytes; how many
    /// (0: end of input).
    async fn read_ahead(&self, max: usize, deadline: &Deadline) -> io::Result<usize> {
        match &self.backend {
            Backend::Polled(src) => {
                drive(src, Mode::Reactor, deadline, || {
                    lock(&self.pending).append_with(max, |room| try_read(src.fd(), room))
                })
                .await
            }
            Backend::Thread(worker) => {
                let data = worker.read(max, deadline).await?;
                lock(&self.pending).extend(&data);
                Ok(data.len())
            }
        }
    }

    /// Writes what the descriptor takes now (at least one byte, waiting for
    /// room); how many bytes.
    ///
    /// # Errors
    ///
    /// Write failures (`BrokenPipe` when the reader is gone), `TimedOut`.
    pub async fn write(&self, data: &[u8]) -> io::Result<usize> {
        let deadline = self.deadline();
        let _turn = enter(&self.writing, Mode::Reactor, &deadline).await?;
        if data.is_empty() {
            return Ok(0);
        }
        self.write_some(data, &deadline).await
    }

    /// Writes all of `data` (pycos' `write(buf, full=True)`); the count,
    /// less than `data.len()` only when pycos' time limit passed after some
    /// bytes were written.
    ///
    /// # Errors
    ///
    /// Write failures; `TimedOut` only if nothing was written in time.
    pub async fn write_full(&self, data: &[u8]) -> io::Result<usize> {
        let deadline = self.deadline();
        let _turn = enter(&self.writing, Mode::Reactor, &deadline).await?;
        let mut written = 0;
        while written < data.len() {
            match self.write_some(&data[written..], &deadline).await {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => written += n,
                Err(err) if is_timeout(&err) && written > 0 => break,
                Err(err) => return Err(err),
            }
        }
        Ok(written)
    }
}

fn try_read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> Step<usize> {
    loop {
        match rustix::io::read(fd, &mut *buf) {
            Ok(n) => return Ok(n),
            Err(Errno::INTR) => {}
            Err(err) => return Err(Stall::from_io(err.into(), Direction::Read)),
        }
    }
}

fn try_write(fd: BorrowedFd<'_>, data: &[u8]) -> Step<usize> {
    loop {
        match rustix::io::write(fd, data) {
            Ok(n) => return Ok(n),
            Err(Errno::INTR) => {}
            Err(err) => return Err(Stall::from_io(err.into(), Direction::Write)),
        }
    }
}
