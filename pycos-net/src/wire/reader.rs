//! `FrameReader`: frames out of a byte stream that arrives in any chunks.
//!
//! Design: one buffer that starts at a frame boundary and never holds more
//! than `max_frame` bytes. [`FrameReader::push`] takes only what fits and
//! says how much it took; since a whole frame is at most `max_frame` bytes,
//! a push that takes nothing means the next [`FrameReader::next_frame`]
//! yields a frame or an error, so a caller's loop always progresses. The
//! length prefix is checked against the limit as soon as its 4 bytes are
//! there, before any byte of the body is kept: a refused frame (oversize,
//! unknown kind, length 0) is skipped by counting, without buffering, and
//! the stream stays in sync.

use super::error::{FrameError, FrameReason};
use super::frame::{Frame, FrameKind, HEADER_LEN, LEN_PREFIX};

/// Bytes reserved when a reader first buffers, so small frames need no
/// regrowth and an idle reader costs little.
const INITIAL_CAPACITY: usize = 4 << 10;

/// Reads frames incrementally from bytes pushed as they arrive.
///
/// # Examples
///
/// ```
/// use pycos_net::wire::{write_frame, FrameKind, FrameReader};
///
/// let mut bytes = Vec::new();
/// write_frame(FrameKind::Tick, &[], &mut bytes)?;
/// write_frame(FrameKind::Message, b"hello", &mut bytes)?;
///
/// let mut reader = FrameReader::new(64);
/// let mut kinds = Vec::new();
/// let mut rest = &bytes[..];
/// while !rest.is_empty() {
///     let taken = reader.push(rest);
///     rest = &rest[taken..];
///     while let Some(frame) = reader.next_frame()? {
///         kinds.push(frame.kind());
///     }
/// }
/// reader.finish()?; // the stream ended on a frame boundary
/// assert_eq!(kinds, [FrameKind::Tick, FrameKind::Message]);
/// # Ok::<(), pycos_net::wire::FrameError>(())
/// ```
#[derive(Debug)]
pub struct FrameReader {
    max_frame: usize,
    /// `buf[start..]` is unread; `start` is a frame boundary.
    buf: Vec<u8>,
    start: usize,
    /// Bytes of a refused frame still to skip as they arrive. When
    /// non-zero, nothing is buffered.
    discard: usize,
}

impl FrameReader {
    /// A reader that accepts frames of at most `max_frame` bytes, prefix
    /// included (raised to [`HEADER_LEN`] if smaller; see
    /// [`DEFAULT_MAX_FRAME`](super::DEFAULT_MAX_FRAME)).
    pub fn new(max_frame: usize) -> Self {
        Self {
            max_frame: max_frame.max(HEADER_LEN),
            buf: Vec::new(),
            start: 0,
            discard: 0,
        }
    }

    /// The largest frame accepted, prefix included; also the most this
    /// reader ever buffers.
    pub fn max_frame(&self) -> usize {
        self.max_frame
    }

    /// Changes the largest frame accepted from the next frame on (a link
    /// accepts only small frames until its peer is authenticated).
    pub fn set_max_frame(&mut self, max_frame: usize) {
        self.max_frame = max_frame.max(HEADER_LEN).max(self.buffered());
    }

    /// Bytes held and not yet returned as frames (at most
    /// [`max_frame`](Self::max_frame)).
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Whether the reader is between frames (nothing buffered, nothing
    /// left to skip): where a stream may end cleanly.
    pub fn is_at_boundary(&self) -> bool {
        self.buffered() == 0 && self.discard == 0
    }

    /// Takes bytes from the front of `bytes` and returns how many it took.
    ///
    /// It takes all of them unless the buffer would exceed
    /// [`max_frame`](Self::max_frame); then the caller takes frames with
    /// [`next_frame`](Self::next_frame) and pushes the rest again. Bytes of
    /// a refused frame are counted off without being kept.
    pub fn push(&mut self, bytes: &[u8]) -> usize {
        let skipped = self.discard.min(bytes.len());
        self.discard -= skipped;
        let bytes = &bytes[skipped..];
        if bytes.is_empty() {
            return skipped;
        }
        self.compact();
        let take = bytes.len().min(self.max_frame - self.buf.len());
        self.reserve(take);
        self.buf.extend_from_slice(&bytes[..take]);
        skipped + take
    }

    /// The next whole frame, `None` until one has fully arrived.
    ///
    /// # Errors
    ///
    /// A [`FrameError`] for a frame whose prefix announces more than
    /// [`max_frame`](Self::max_frame) ([`is_oversize`](FrameError::is_oversize),
    /// reported from the prefix alone), whose kind byte is unknown
    /// ([`is_unknown_kind`](FrameError::is_unknown_kind), reported before
    /// its body arrives) or whose length is 0
    /// ([`is_missing_kind`](FrameError::is_missing_kind)). The reader has
    /// then stepped over that frame: calling again goes on with the next.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        let avail = &self.buf[self.start..];
        let Some(prefix) = avail.first_chunk::<LEN_PREFIX>() else {
            return Ok(None);
        };
        let len = u32::from_be_bytes(*prefix);
        if len == 0 {
            self.skip(LEN_PREFIX as u64);
            return Err(FrameError::new(FrameReason::MissingKind));
        }
        let total = LEN_PREFIX as u64 + u64::from(len);
        if total > self.max_frame as u64 {
            self.skip(total);
            return Err(FrameError::new(FrameReason::Oversize {
                len: total,
                limit: self.max_frame as u64,
            }));
        }
        // `total <= max_frame`, a usize: the casts below are exact.
        let Some(&kind_byte) = avail.get(LEN_PREFIX) else {
            return Ok(None);
        };
        let Some(kind) = FrameKind::from_byte(kind_byte) else {
            self.skip(total);
            return Err(FrameError::new(FrameReason::UnknownKind(kind_byte)));
        };
        let total = total as usize;
        if avail.len() < total {
            return Ok(None);
        }
        let body = avail[HEADER_LEN..total].to_vec();
        self.start += total;
        Ok(Some(Frame::new(kind, body)))
    }

    /// Checks that the stream may end here.
    ///
    /// # Errors
    ///
    /// An error that [`is_truncated`](FrameError::is_truncated) when the
    /// stream ended inside a frame (part of it buffered, or a refused frame
    /// not yet skipped to its end).
    pub fn finish(&self) -> Result<(), FrameError> {
        if self.is_at_boundary() {
            Ok(())
        } else {
            Err(FrameError::new(FrameReason::Truncated {
                buffered: self.buffered(),
            }))
        }
    }

    /// Steps over `len` bytes of the current frame: what is buffered now,
    /// and the rest as it arrives.
    fn skip(&mut self, len: u64) {
        let here = (self.buffered() as u64).min(len);
        self.start += here as usize;
        self.discard = usize::try_from(len - here).unwrap_or(usize::MAX);
        if self.discard > 0 {
            // The whole buffer belonged to the refused frame.
            debug_assert_eq!(self.buffered(), 0);
        }
        self.compact();
    }

    /// Moves the unread bytes to the front, so the buffer's length is what
    /// is held.
    fn compact(&mut self) {
        if self.start == self.buf.len() {
            self.buf.clear();
        } else if self.start > 0 {
            self.buf.drain(..self.start);
        }
        self.start = 0;
    }

    /// Room for `extra` more bytes without growing past `max_frame`.
    fn reserve(&mut self, extra: usize) {
        let need = self.buf.len() + extra;
        if need <= self.buf.capacity() {
            return;
        }
        let grown = (self.buf.capacity() * 2).max(INITIAL_CAPACITY);
        let target = need.max(grown.min(self.max_frame));
        self.buf.reserve_exact(target - self.buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::write_frame;

    fn frame_bytes(kind: FrameKind, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        write_frame(kind, body, &mut out).unwrap();
        out
    }

    #[test]
    fn waits_for_whole_frame() {
        let bytes = frame_bytes(FrameKind::Request, b"abc");
        let mut reader = FrameReader::new(64);
        for (i, byte) in bytes.iter().enumerate() {
            assert_eq!(reader.next_frame().unwrap(), None, "before byte {i}");
            assert_eq!(reader.push(&[*byte]), 1);
        }
        let frame = reader.next_frame().unwrap().unwrap();
        assert_eq!(
            (frame.kind(), frame.body()),
            (FrameKind::Request, &b"abc"[..])
        );
        assert!(reader.is_at_boundary());
    }

    #[test]
    fn push_stops_at_max_frame() {
        let mut bytes = frame_bytes(FrameKind::Bulk, &[7; 10]);
        bytes.extend(frame_bytes(FrameKind::Bulk, &[8; 10]));
        let mut reader = FrameReader::new(15);
        assert_eq!(reader.push(&bytes), 15);
        assert_eq!(reader.push(&bytes[15..]), 0);
        assert_eq!(reader.next_frame().unwrap().unwrap().body(), [7; 10]);
        assert_eq!(reader.push(&bytes[15..]), 15);
        assert_eq!(reader.next_frame().unwrap().unwrap().body(), [8; 10]);
        assert!(reader.buf.capacity() <= 15, "grew past max_frame");
    }

    #[test]
    fn oversize_is_skipped_without_buffering() {
        let mut reader = FrameReader::new(16);
        let mut bytes = vec![0, 0, 1, 0, 3]; // 256 + 4 bytes announced
        bytes.extend([0xEE; 255]);
        bytes.extend(frame_bytes(FrameKind::Tick, &[]));
        assert_eq!(reader.push(&bytes[..5]), 5);
        let err = reader.next_frame().unwrap_err();
        assert!(err.is_oversize(), "{err}");
        assert_eq!(
            err.to_string(),
            "frame of 260 bytes refused: over the limit of 16"
        );
        assert_eq!(reader.buffered(), 0);
        assert_eq!(reader.push(&bytes[5..]), bytes.len() - 5);
        assert_eq!(
            reader.next_frame().unwrap().unwrap().kind(),
            FrameKind::Tick
        );
    }

    #[test]
    fn zero_length_and_unknown_kind_are_stepped_over() {
        let mut bytes = vec![0, 0, 0, 0, 0, 0, 0, 3, 0xFF, 1, 2];
        bytes.extend(frame_bytes(FrameKind::Close, b"x"));
        let mut reader = FrameReader::new(64);
        reader.push(&bytes);
        assert!(reader.next_frame().unwrap_err().is_missing_kind());
        assert_eq!(reader.next_frame().unwrap_err().unknown_kind(), Some(0xFF));
        assert_eq!(reader.next_frame().unwrap().unwrap().body(), b"x");
        assert_eq!(reader.next_frame().unwrap(), None);
    }

    #[test]
    fn finish_reports_truncation() {
        let mut reader = FrameReader::new(64);
        reader.finish().unwrap();
        reader.push(&[0, 0, 0, 9, 3, 1]);
        let err = reader.finish().unwrap_err();
        assert!(err.is_truncated());
        assert_eq!(
            err.to_string(),
            "stream ended inside a frame (6 bytes of it read)"
        );
    }

    #[test]
    fn max_frame_is_at_least_a_header() {
        assert_eq!(FrameReader::new(0).max_frame(), HEADER_LEN);
    }
}
