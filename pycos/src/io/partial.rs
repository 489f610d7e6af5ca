//! Read buffers that survive abandoned reads.
//!
//! An I/O object keeps a small `pending` buffer of bytes that were read from
//! the descriptor but not delivered: a `recvall` that timed out under a
//! [`.timeout(t)`](crate::WaitExt::timeout) or was interrupted by a throw,
//! the rest of a chunk after `readline`. Every read serves `pending` first,
//! so dropping a read future never loses data (pycos loses it, §15.13).

use std::sync::{Mutex, MutexGuard};

/// Chunk by which a read of `n` bytes grows its buffer: a peer announcing a
/// large size must send the bytes before they are allocated.
const GROW: usize = 64 * 1024;

pub(crate) fn lock(pending: &Mutex<Vec<u8>>) -> MutexGuard<'_, Vec<u8>> {
    pending
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Moves up to `buf.len()` pending bytes into `buf`; how many.
pub(crate) fn read_pending(pending: &Mutex<Vec<u8>>, buf: &mut [u8]) -> usize {
    let mut pending = lock(pending);
    let n = pending.len().min(buf.len());
    if n > 0 {
        buf[..n].copy_from_slice(&pending[..n]);
        pending.drain(..n);
    }
    n
}

/// Puts `bytes` back in front of the pending ones.
pub(crate) fn unread(pending: &Mutex<Vec<u8>>, bytes: &[u8]) {
    if !bytes.is_empty() {
        lock(pending).splice(0..0, bytes.iter().copied());
    }
}

/// Bytes collected so far by a read in progress; given back to `pending`
/// unless [`take`](Partial::take)n.
#[derive(Debug)]
pub(crate) struct Partial<'a> {
    pending: &'a Mutex<Vec<u8>>,
    buf: Vec<u8>,
    filled: usize,
}

impl<'a> Partial<'a> {
    pub(crate) fn new(pending: &'a Mutex<Vec<u8>>) -> Partial<'a> {
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

    /// Keeps the first `n` bytes and gives the rest back to `pending`.
    pub(crate) fn split_off(&mut self, n: usize) {
        unread(self.pending, &self.buf[n..self.filled]);
        self.filled = n;
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
