//! Read buffers that survive abandoned reads.
//!
//! An I/O object keeps a [`Pending`] buffer of bytes that were read from
//! the descriptor but not delivered: a `recvall` that timed out under a
//! [`.timeout(t)`](crate::WaitExt::timeout) or was interrupted by a throw,
//! the rest of a chunk after `readline`. Every read serves `pending` first,
//! so dropping a read future never loses data (pycos loses it, §15.13).
//!
//! `readline` reads ahead into `pending` itself and cuts lines out of it:
//! the buffer is a vector plus a start offset, so taking a line from the
//! front moves nothing, the room behind the bytes is reused by the next
//! read, and a line costs one allocation of its own size (not a fresh,
//! zeroed chunk per line).

use std::sync::Mutex;

use super::wait::Step;
use crate::util::lock;

/// Chunk by which a read of `n` bytes grows its buffer: a peer announcing a
/// large size must send the bytes before they are allocated.
const GROW: usize = 64 * 1024;

/// Room an emptied [`Pending`] keeps for the next read-ahead; a larger
/// buffer (left by one very long line) is released.
const KEEP: usize = 256 * 1024;

/// Bytes read but not delivered: `buf[start..]`.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    buf: Vec<u8>,
    start: usize,
}

impl From<Vec<u8>> for Pending {
    fn from(buf: Vec<u8>) -> Pending {
        Pending { buf, start: 0 }
    }
}

impl Pending {
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    pub(crate) fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Drops `n` bytes (at most [`len`](Pending::len)) from the front.
    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.buf.len());
        if self.start == self.buf.len() {
            if self.buf.capacity() > KEEP {
                self.buf = Vec::new();
            } else {
                self.buf.clear();
            }
            self.start = 0;
        }
    }

    /// Takes the first `n` bytes (at most [`len`](Pending::len)).
    pub(crate) fn take_front(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.len());
        let front = self.bytes()[..n].to_vec();
        self.consume(n);
        front
    }

    /// Takes every byte.
    pub(crate) fn take_all(&mut self) -> Vec<u8> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.drain(..self.start);
        self.start = 0;
        buf
    }

    /// Moves up to `out.len()` bytes into `out`; how many.
    fn read_into(&mut self, out: &mut [u8]) -> usize {
        let n = self.len().min(out.len());
        out[..n].copy_from_slice(&self.bytes()[..n]);
        self.consume(n);
        n
    }

    /// Puts `bytes` back in front.
    fn unread(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if bytes.len() <= self.start {
            self.start -= bytes.len();
            self.buf[self.start..self.start + bytes.len()].copy_from_slice(bytes);
        } else {
            let mut buf = Vec::with_capacity(bytes.len() + self.len());
            buf.extend_from_slice(bytes);
            buf.extend_from_slice(self.bytes());
            self.buf = buf;
            self.start = 0;
        }
    }

    /// Appends bytes after the pending ones.
    pub(crate) fn extend(&mut self, bytes: &[u8]) {
        self.compact();
        self.buf.extend_from_slice(bytes);
    }

    /// Appends what one `read` of at most `max` bytes (`max > 0`) puts in
    /// the room it is given; how many bytes. The room behind the pending
    /// bytes is reused; only the part a read may fill is zeroed.
    pub(crate) fn append_with(
        &mut self,
        max: usize,
        read: impl FnOnce(&mut [u8]) -> Step<usize>,
    ) -> Step<usize> {
        self.compact();
        let end = self.buf.len();
        self.buf.resize(end + max, 0);
        let result = read(&mut self.buf[end..]);
        let n = match &result {
            Ok(n) => (*n).min(max),
            Err(_) => 0,
        };
        self.buf.truncate(end + n);
        result.map(|_| n)
    }

    /// Moves the bytes to the front once the consumed part is the larger
    /// half, so the buffer does not creep forward: amortized O(1) a byte.
    fn compact(&mut self) {
        if self.start > 0 && self.start >= self.len() {
            self.buf.drain(..self.start);
            self.start = 0;
        }
    }
}

/// Moves up to `buf.len()` pending bytes into `buf`; how many.
pub(crate) fn read_pending(pending: &Mutex<Pending>, buf: &mut [u8]) -> usize {
    lock(pending).read_into(buf)
}

/// Puts `bytes` back in front of the pending ones.
pub(crate) fn unread(pending: &Mutex<Pending>, bytes: &[u8]) {
    if !bytes.is_empty() {
        lock(pending).unread(bytes);
    }
}

/// Bytes collected so far by a read in progress; given back to `pending`
/// unless [`take`](Partial::take)n.
#[derive(Debug)]
pub(crate) struct Partial<'a> {
    pending: &'a Mutex<Pending>,
    buf: Vec<u8>,
    filled: usize,
}

impl<'a> Partial<'a> {
    pub(crate) fn new(pending: &'a Mutex<Pending>) -> Partial<'a> {
        Partial {
            pending,
            buf: Vec::new(),
            filled: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.filled
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.filled == 0
    }

    pub(crate) fn filled(&self) -> &[u8] {
        &self.buf[..self.filled]
    }

    /// Room for the next read of at most `want` bytes (`want > 0`): what is
    /// left of the buffer, or a new chunk as large as what is filled (at
    /// least 64 KiB, at most `want`), so growth is geometric but follows
    /// the bytes that actually arrive.
    pub(crate) fn spare(&mut self, want: usize) -> &mut [u8] {
        if self.buf.len() == self.filled {
            let chunk = want.min(GROW.max(self.filled));
            self.buf.resize(self.filled + chunk, 0);
        }
        let end = self.buf.len().min(self.filled + want);
        &mut self.buf[self.filled..end]
    }

    /// Records `n` bytes written into [`spare`](Partial::spare).
    pub(crate) fn advance(&mut self, n: usize) {
        self.filled += n;
    }

    /// Delivers the bytes.
    pub(crate) fn take(mut self) -> Vec<u8> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.truncate(self.filled);
        self.filled = 0;
        buf
    }
}

impl Drop for Partial<'_> {
    fn drop(&mut self) {
        unread(self.pending, &self.buf[..self.filled]);
    }
}
