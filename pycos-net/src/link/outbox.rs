//! What a link has yet to write: small frames coalesced into one buffer,
//! bulk frames cut into chunks that take turns with them.
//!
//! Small frames (messages, requests, replies, ticks) are appended to one
//! buffer as they are queued, so the writer sends everything queued since
//! its last write in one `write` call. A frame whose body is over
//! [`BULK_THRESHOLD`] is *bulk*: it is cut into [`FrameKind::Bulk`] chunks
//! of at most [`CHUNK`] bytes, and the writer takes at most one chunk per
//! turn after the small buffer, so a 16 MiB message delays a tick by one
//! chunk at most, never by the whole message.
//!
//! Order: `send` is FIFO per sender → receiver. A small frame for a target
//! that has bulk frames queued is queued behind them (in the bulk queue)
//! rather than overtaking them, so per-target order holds; frames for other
//! targets, and frames with no target (replies, ticks), go ahead.
//!
//! A chunk's body is one flag byte ([`MORE`] or [`LAST`]) and a piece of
//! the original frame's kind byte and body; the reader joins the pieces
//! ([`Reassembly`]) and handles the result as the frame it was. One bulk
//! frame is in flight at a time, so chunks need no stream id.

use std::collections::{HashMap, VecDeque};

use crate::wire::{FrameError, FrameKind, HEADER_LEN, write_frame};

/// Bodies longer than this go out as bulk chunks (64 KiB, DESIGN §4.2).
pub(crate) const BULK_THRESHOLD: usize = 64 << 10;

/// The largest piece of a bulk frame per chunk.
pub(crate) const CHUNK: usize = 16 << 10;

/// Chunk flag: more chunks of this frame follow.
pub(crate) const MORE: u8 = 0;
/// Chunk flag: the frame's last chunk.
pub(crate) const LAST: u8 = 1;

/// The target a frame is ordered by: the serial of the receiving task or
/// channel (unique on its node, and every target of a link is on one node).
pub(crate) type Target = u64;

/// Frames queued on one link.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    small: Vec<u8>,
    bulk: VecDeque<Queued>,
    /// How many queued bulk items each target has: its small frames wait
    /// behind them.
    behind_bulk: HashMap<Target, usize>,
}

/// An item of the bulk queue.
#[derive(Debug)]
struct Queued {
    target: Option<Target>,
    item: Item,
}

#[derive(Debug)]
enum Item {
    /// A bulk frame: its kind byte and body, and how much was sent.
    Chunked { data: Vec<u8>, sent: usize },
    /// A small frame (already framed) waiting behind a bulk one.
    Whole(Vec<u8>),
}

impl Outbox {
    /// Queues one frame of `kind` for `target` (`None`: not ordered with
    /// any target's messages).
    ///
    /// # Errors
    ///
    /// When the body is too long for a frame at all.
    pub(crate) fn push(
        &mut self,
        target: Option<Target>,
        kind: FrameKind,
        body: &[u8],
    ) -> Result<(), FrameError> {
        if body.len() > BULK_THRESHOLD {
            let mut data = Vec::with_capacity(1 + body.len());
            data.push(kind.byte());
            data.extend_from_slice(body);
            self.queue_bulk(target, Item::Chunked { data, sent: 0 });
            return Ok(());
        }
        if let Some(target) = target
            && self.behind_bulk.contains_key(&target)
        {
            let mut whole = Vec::with_capacity(HEADER_LEN + body.len());
            write_frame(kind, body, &mut whole)?;
            self.queue_bulk(Some(target), Item::Whole(whole));
            return Ok(());
        }
        write_frame(kind, body, &mut self.small)
    }

    /// Queues frame bytes already written by `write` into the small buffer
    /// (the encoder appends in place); falls back to [`push`](Self::push)
    /// ordering rules by re-queuing when the target waits behind bulk or
    /// the frame turned out bulk. When `write` fails nothing is queued and
    /// its error is the outer one; the inner one is `push`'s.
    pub(crate) fn push_with<E>(
        &mut self,
        target: Option<Target>,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), E>,
    ) -> Result<Result<(), FrameError>, E> {
        let start = self.small.len();
        if let Err(err) = write(&mut self.small) {
            self.small.truncate(start);
            return Err(err);
        }
        let ordered_behind = target.is_some_and(|t| self.behind_bulk.contains_key(&t));
        let body_len = self.small.len() - start - HEADER_LEN;
        if ordered_behind || body_len > BULK_THRESHOLD {
            let frame = self.small.split_off(start);
            let kind = FrameKind::from_byte(frame[HEADER_LEN - 1])
                .expect("the encoder wrote a valid kind byte");
            return Ok(self.push(target, kind, &frame[HEADER_LEN..]));
        }
        Ok(Ok(()))
    }

    fn queue_bulk(&mut self, target: Option<Target>, item: Item) {
        if let Some(target) = target {
            *self.behind_bulk.entry(target).or_default() += 1;
        }
        self.bulk.push_back(Queued { target, item });
    }

    /// Whether nothing is queued.
    pub(crate) fn is_empty(&self) -> bool {
        self.small.is_empty() && self.bulk.is_empty()
    }

    /// Moves the next bytes to write into `out` (which the writer hands
    /// back empty): every small frame, then at most one bulk chunk (or the
    /// whole frames queued behind bulk up to the next chunk).
    pub(crate) fn take(&mut self, out: &mut Vec<u8>) {
        debug_assert!(out.is_empty(), "the writer hands back an empty buffer");
        std::mem::swap(&mut self.small, out);
        self.take_bulk(out);
    }

    fn take_bulk(&mut self, out: &mut Vec<u8>) {
        while let Some(front) = self.bulk.front_mut() {
            match &mut front.item {
                Item::Whole(frame) => {
                    out.extend_from_slice(frame);
                    self.pop_front();
                }
                Item::Chunked { data, sent } => {
                    let end = (*sent + CHUNK).min(data.len());
                    let flag = if end == data.len() { LAST } else { MORE };
                    let mut chunk = Vec::with_capacity(1 + end - *sent);
                    chunk.push(flag);
                    chunk.extend_from_slice(&data[*sent..end]);
                    write_frame(FrameKind::Bulk, &chunk, out)
                        .expect("a chunk is far below the frame size limit");
                    *sent = end;
                    if flag == LAST {
                        self.pop_front();
                    }
                    return; // one chunk per turn
                }
            }
        }
    }

    fn pop_front(&mut self) {
        let Some(done) = self.bulk.pop_front() else {
            return;
        };
        if let Some(target) = done.target
            && let Some(count) = self.behind_bulk.get_mut(&target)
        {
            *count -= 1;
            if *count == 0 {
                self.behind_bulk.remove(&target);
            }
        }
    }

    /// A new connection takes over the queue: a bulk frame the last one
    /// sent part of is dropped (its first chunks went with the old
    /// connection, and the new one's reader would take the rest for
    /// garbage). At most once, like every message; a file transfer
    /// resumes from what the receiver has.
    pub(crate) fn restart(&mut self) {
        let half_sent = matches!(
            self.bulk.front(),
            Some(Queued {
                item: Item::Chunked { sent, .. },
                ..
            }) if *sent > 0
        );
        if half_sent {
            self.pop_front();
        }
    }

    /// Drops everything queued (the link is gone); returns how many bytes.
    pub(crate) fn clear(&mut self) -> usize {
        let dropped = self.small.len()
            + self
                .bulk
                .iter()
                .map(|q| match &q.item {
                    Item::Chunked { data, .. } => data.len(),
                    Item::Whole(frame) => frame.len(),
                })
                .sum::<usize>();
        self.small.clear();
        self.bulk.clear();
        self.behind_bulk.clear();
        dropped
    }
}

/// Joins the chunks of one bulk frame on the reading side.
#[derive(Debug)]
pub(crate) struct Reassembly {
    data: Vec<u8>,
    limit: usize,
}

/// A bulk chunk that cannot be joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChunkError {
    /// The joined frame would be over the link's frame limit.
    Oversize,
    /// An empty chunk, an unknown flag or an unknown inner kind.
    Malformed,
}

impl Reassembly {
    /// Joins frames up to `limit` bytes.
    pub(crate) fn new(limit: usize) -> Reassembly {
        Reassembly {
            data: Vec::new(),
            limit,
        }
    }

    /// Adds one chunk body; the whole frame (kind, body) after its last.
    ///
    /// # Errors
    ///
    /// [`ChunkError`]; the partial frame is dropped, and the next chunk
    /// starts a new one.
    pub(crate) fn push(
        &mut self,
        chunk: &[u8],
    ) -> Result<Option<(FrameKind, Vec<u8>)>, ChunkError> {
        let Some((&flag, piece)) = chunk.split_first() else {
            return Err(ChunkError::Malformed);
        };
        if self.data.len() + piece.len() > self.limit {
            self.data = Vec::new();
            return Err(ChunkError::Oversize);
        }
        self.data.extend_from_slice(piece);
        match flag {
            MORE => Ok(None),
            LAST => {
                let mut data = std::mem::take(&mut self.data);
                if data.is_empty() {
                    return Err(ChunkError::Malformed);
                }
                let kind = FrameKind::from_byte(data.remove(0)).ok_or(ChunkError::Malformed)?;
                Ok(Some((kind, data)))
            }
            _ => {
                self.data = Vec::new();
                Err(ChunkError::Malformed)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::FrameReader;

    /// Reads every frame in `bytes`, joining bulk chunks.
    fn read_all(bytes: &[u8], join: &mut Reassembly) -> Vec<(FrameKind, Vec<u8>)> {
        let mut reader = FrameReader::new(1 << 24);
        let mut out = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let used = reader.push(rest);
            rest = &rest[used..];
            while let Some(frame) = reader.next_frame().unwrap() {
                if frame.kind() == FrameKind::Bulk {
                    if let Some(whole) = join.push(frame.body()).unwrap() {
                        out.push(whole);
                    }
                } else {
                    out.push((frame.kind(), frame.into_body()));
                }
            }
        }
        out
    }

    #[test]
    fn small_frames_coalesce_into_one_write() {
        let mut outbox = Outbox::default();
        for i in 0..10u8 {
            outbox.push(Some(1), FrameKind::Message, &[i]).unwrap();
        }
        let mut out = Vec::new();
        outbox.take(&mut out);
        assert!(outbox.is_empty());
        let frames = read_all(&out, &mut Reassembly::new(1 << 24));
        assert_eq!(frames.len(), 10, "all ten in one buffer");
        assert!(frames.iter().enumerate().all(|(i, f)| f.1 == [i as u8]));
    }

    #[test]
    fn a_tick_goes_out_after_one_chunk_of_a_bulk_frame() {
        let mut outbox = Outbox::default();
        let big = vec![7u8; 1 << 20];
        outbox.push(Some(1), FrameKind::Message, &big).unwrap();
        let mut out = Vec::new();
        outbox.take(&mut out);
        assert!(
            out.len() < CHUNK + 64,
            "one chunk per turn, not the megabyte"
        );
        outbox.push(None, FrameKind::Tick, &[]).unwrap();
        let mut next = Vec::new();
        outbox.take(&mut next);
        let mut join = Reassembly::new(1 << 24);
        read_all(&out, &mut join);
        let frames = read_all(&next, &mut join);
        assert_eq!(
            frames.first().map(|f| f.0),
            Some(FrameKind::Tick),
            "the tick came first"
        );
    }

    #[test]
    fn order_per_target_holds_behind_bulk_and_other_targets_go_ahead() {
        let mut outbox = Outbox::default();
        let big = vec![1u8; 200 << 10];
        outbox.push(Some(1), FrameKind::Message, &big).unwrap();
        outbox
            .push(Some(1), FrameKind::Message, b"after big")
            .unwrap();
        outbox.push(Some(2), FrameKind::Message, b"other").unwrap();
        let mut join = Reassembly::new(1 << 24);
        let mut all = Vec::new();
        let mut first_write = true;
        while !outbox.is_empty() {
            let mut out = Vec::new();
            outbox.take(&mut out);
            let frames = read_all(&out, &mut join);
            if first_write {
                assert_eq!(frames.first().map(|f| f.1.as_slice()), Some(&b"other"[..]));
                first_write = false;
            }
            all.extend(frames);
        }
        let bodies: Vec<&[u8]> = all.iter().map(|f| f.1.as_slice()).collect();
        assert_eq!(bodies, [&b"other"[..], &big[..], &b"after big"[..]]);
    }

    #[test]
    fn push_with_reroutes_an_in_place_frame_that_is_bulk() {
        let mut outbox = Outbox::default();
        let big = vec![3u8; BULK_THRESHOLD + 1];
        outbox
            .push_with(Some(5), |out| write_frame(FrameKind::Message, &big, out))
            .unwrap()
            .unwrap();
        let mut out = Vec::new();
        outbox.take(&mut out);
        assert!(out.len() < CHUNK + 64);
        assert!(!outbox.is_empty());
    }

    #[test]
    fn push_with_a_failing_writer_queues_nothing() {
        let mut outbox = Outbox::default();
        let failed = outbox.push_with(Some(5), |out: &mut Vec<u8>| {
            out.extend_from_slice(b"half a frame");
            Err("cannot encode")
        });
        assert_eq!(failed, Err("cannot encode"));
        assert!(outbox.is_empty());
        outbox
            .push_with(Some(5), |out| write_frame(FrameKind::Message, b"next", out))
            .unwrap()
            .unwrap();
        let mut out = Vec::new();
        outbox.take(&mut out);
        assert_eq!(&out[HEADER_LEN..], b"next");
    }

    #[test]
    fn a_new_connection_drops_the_half_sent_bulk_frame_only() {
        let mut outbox = Outbox::default();
        outbox
            .push(Some(1), FrameKind::Message, &vec![1u8; 200 << 10])
            .unwrap();
        outbox.push(Some(1), FrameKind::Message, b"after").unwrap();
        let mut out = Vec::new();
        outbox.take(&mut out); // the first chunk went on the old connection
        outbox.restart();
        let mut join = Reassembly::new(1 << 24);
        let mut rest = Vec::new();
        while !outbox.is_empty() {
            let mut out = Vec::new();
            outbox.take(&mut out);
            rest.extend(read_all(&out, &mut join));
        }
        let bodies: Vec<&[u8]> = rest.iter().map(|f| f.1.as_slice()).collect();
        assert_eq!(
            bodies,
            [&b"after"[..]],
            "only the frame queued behind it is left"
        );
        // Nothing half sent: a restart keeps everything.
        outbox
            .push(Some(2), FrameKind::Message, &vec![2u8; 200 << 10])
            .unwrap();
        outbox.restart();
        assert!(!outbox.is_empty());
    }

    #[test]
    fn reassembly_refuses_oversize_and_bad_flags() {
        let mut join = Reassembly::new(10);
        assert_eq!(join.push(&[MORE; 12]), Err(ChunkError::Oversize));
        assert_eq!(join.push(&[9, 1]), Err(ChunkError::Malformed));
        assert_eq!(join.push(&[]), Err(ChunkError::Malformed));
        assert_eq!(join.push(&[LAST, 200]), Err(ChunkError::Malformed));
        assert_eq!(
            join.push(&[LAST, FrameKind::Tick.byte()]),
            Ok(Some((FrameKind::Tick, Vec::new())))
        );
    }
}
