//! `futures-io`'s [`AsyncRead`]/[`AsyncWrite`] on stream sockets, so codecs
//! and protocols from the async ecosystem (framed readers, HTTP parsers,
//! `futures::io::copy`, ...) run on an [`AsyncSocket`] inside a task.
//! futures-io is the runtime-neutral definition of these traits.
//!
//! These are poll-style and bypass the operation queue and pycos' time
//! limit: use them from one reading and one writing task at a time, and
//! bound them with [`WaitExt::timeout`](crate::WaitExt::timeout).
//!
//! Like every other operation they charge the task's cooperative budget
//! (`io::wait::charge`) before touching data, in `poll_step`, which every
//! poll goes through.

use std::io;
use std::net::Shutdown;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_io::{AsyncRead, AsyncWrite};

use super::{AsyncSocket, tls};
use crate::io::wait::{Stall, Step};
use crate::runtime::coop;

impl AsyncSocket {
    /// Runs `step` until it finishes or must wait for the reactor; first
    /// gives way if the task's budget is spent, and finishes a TLS
    /// handshake that `accept` left to the connection.
    fn poll_step<T>(
        &self,
        cx: &mut Context<'_>,
        step: impl FnMut() -> Step<T>,
    ) -> Poll<io::Result<T>> {
        ready!(coop::proceed(cx));
        ready!(self.poll_steps(cx, || self.settle_step()))?;
        self.poll_steps(cx, step)
    }

    fn poll_steps<T>(
        &self,
        cx: &mut Context<'_>,
        mut step: impl FnMut() -> Step<T>,
    ) -> Poll<io::Result<T>> {
        loop {
            match step() {
                Ok(value) => return Poll::Ready(Ok(value)),
                Err(Stall::Failed(err)) => return Poll::Ready(Err(err)),
                Err(Stall::Wait(direction)) => {
                    self.src.clear_ready(direction);
                    ready!(self.src.poll_ready(direction, cx))?;
                }
            }
        }
    }

    fn poll_read_bytes(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        self.poll_step(cx, || self.try_read(buf))
    }

    fn poll_close_stream(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(session) = self.tls.session() {
            tls::close_notify(session);
            ready!(self.poll_step(cx, || tls::flush(session, self.src.fd())))?;
        }
        Poll::Ready(match self.shutdown(Shutdown::Write) {
            Err(err) if err.kind() == io::ErrorKind::NotConnected => Ok(()),
            other => other,
        })
    }
}

impl AsyncRead for &AsyncSocket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_read_bytes(cx, buf)
    }
}

impl AsyncWrite for &AsyncSocket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        self.poll_step(cx, || self.try_write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_step(cx, || self.try_flush())
    }

    /// Sends the TLS close notification if any, then shuts down writing:
    /// the peer reads end of input.
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_close_stream(cx)
    }
}

impl AsyncRead for AsyncSocket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_read_bytes(cx, buf)
    }
}

impl AsyncWrite for AsyncSocket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut &*self).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut &*self).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut &*self).poll_close(cx)
    }
}
