//! pycos' message framing: a 4-byte big-endian length (`struct '>L'`), then
//! the payload.
//!
//! Unlike pycos, a receiver never trusts the prefix with memory: a length
//! above the socket's maximum is refused before anything is allocated, and
//! the payload buffer grows only as bytes arrive. A frame cut short by the
//! end of input is an error that carries the bytes that came; a frame cut
//! by a timeout or an abandoned wait stays queued in the socket, so the
//! next `recv_msg` continues it and the stream stays in step.

use std::io;

use super::{AsyncSocket, FrameTooLarge, TruncatedFrame};
use crate::io::partial::Partial;
use crate::io::turn::enter;
use crate::io::wait::{Deadline, Mode};

const PREFIX: usize = 4;

/// Payloads up to this size go out in one write with their prefix, so the
/// kernel does not hold a small payload back behind its prefix (Nagle).
const COALESCE: usize = 16 * 1024;

impl AsyncSocket {
    /// Sends `data` as one message (length prefix, then payload).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a payload of 4 GiB or more; connection failures;
    /// `TimedOut` — after a partial frame too, since the frame cannot be
    /// completed later (the connection should be closed).
    pub async fn send_msg(&self, data: &[u8]) -> io::Result<()> {
        self.send_msg_in(data, Mode::Reactor).await
    }

    pub(super) async fn send_msg_in(&self, data: &[u8], mode: Mode) -> io::Result<()> {
        let Ok(len) = u32::try_from(data.len()) else {
            let err = FrameTooLarge {
                len: data.len() as u64,
                max: u32::MAX as usize,
            };
            return Err(io::Error::new(io::ErrorKind::InvalidInput, err));
        };
        let deadline = self.deadline(mode);
        self.settle_tls(mode, &deadline).await?;
        let _turn = enter(&self.writing, mode, &deadline).await?;
        let prefix = len.to_be_bytes();
        let sent = if data.len() <= COALESCE {
            let frame = [prefix.as_slice(), data].concat();
            self.send_locked(&frame, &deadline, mode).await?
        } else {
            match self.send_locked(&prefix, &deadline, mode).await? {
                PREFIX => PREFIX + self.send_locked(data, &deadline, mode).await?,
                partial => partial,
            }
        };
        if sent < PREFIX + data.len() {
            let text = format!(
                "timed out after {sent} of {} bytes of a message",
                PREFIX + data.len()
            );
            return Err(io::Error::new(io::ErrorKind::TimedOut, text));
        }
        Ok(())
    }

    /// Receives one message: `Some(payload)`, or `None` when the peer closed
    /// the connection between messages. An empty message is `Some(vec![])`.
    /// pycos' time limit applies to each wait for data (an inactivity limit).
    ///
    /// # Errors
    ///
    /// - `InvalidData` with [`FrameTooLarge`]: the announced length exceeds
    ///   [`max_msg_size`](AsyncSocket::max_msg_size);
    /// - `UnexpectedEof` with [`TruncatedFrame`]: the peer closed inside a
    ///   message (the error holds the bytes that came);
    /// - `TimedOut`: nothing arrived in time (a partial message is kept for
    ///   the next call); connection failures.
    pub async fn recv_msg(&self) -> io::Result<Option<Vec<u8>>> {
        self.recv_msg_in(Mode::Reactor).await
    }

    pub(super) async fn recv_msg_in(&self, mode: Mode) -> io::Result<Option<Vec<u8>>> {
        let limit = self.gettimeout();
        let deadline = Deadline::after(limit, mode);
        self.settle_tls(mode, &deadline).await?;
        let _turn = enter(&self.reading, mode, &deadline).await?;
        // Declared first, dropped last: given back in front of the payload.
        let mut head = Partial::new(&self.pending);
        self.fill(&mut head, PREFIX, limit, mode).await?;
        match head.len() {
            0 => return Ok(None),
            PREFIX => {}
            _ => return Err(truncated(head.take(), PREFIX, false)),
        }
        let len = u32::from_be_bytes([
            head.filled()[0],
            head.filled()[1],
            head.filled()[2],
            head.filled()[3],
        ]);
        let max = self.max_msg_size();
        if u64::from(len) > max as u64 {
            drop(head.take());
            let err = FrameTooLarge {
                len: len.into(),
                max,
            };
            return Err(io::Error::new(io::ErrorKind::InvalidData, err));
        }
        let len = len as usize;
        let mut payload = Partial::new(&self.pending);
        self.fill(&mut payload, len, limit, mode).await?;
        if payload.len() < len {
            drop(head.take());
            return Err(truncated(payload.take(), len, true));
        }
        drop(head.take());
        Ok(Some(payload.take()))
    }
}

fn truncated(partial: Vec<u8>, expected: usize, in_payload: bool) -> io::Error {
    let err = TruncatedFrame {
        partial,
        expected,
        in_payload,
    };
    io::Error::new(io::ErrorKind::UnexpectedEof, err)
}
