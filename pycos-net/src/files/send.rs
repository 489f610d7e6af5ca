//! The sending side of `send_file` and `del_file`.

use std::collections::VecDeque;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use pycos::WaitExt;

use crate::Location;
use crate::node::peer::{LinkState, Peer};
use crate::node::requests::{Answered, Failure, oneshot};
use crate::node::state::NodeState;
use crate::proto::{Answer, Op};

use super::path::{check_name, parse_dir};
use super::receive::PIECE;
use super::wire::{Bytes, Chunk, FileMeta, FileName, Offer};
use super::{FileError, SentFile};

/// Pieces sent and not yet answered, at most.
const WINDOW: usize = 4;

/// The smallest piece a receiver may ask for.
const MIN_PIECE: u32 = 512;

/// The outbox orders frames per target (a task's or channel's serial);
/// a transfer's pieces are one target in a range no serial reaches.
const ORDER_BASE: u64 = 1 << 63;

/// `Node::send_file`.
pub(crate) async fn send_file(
    node: &Arc<NodeState>,
    to: Location,
    path: &Path,
    dir: Option<&str>,
    overwrite: bool,
    limit: Duration,
) -> Result<SentFile, FileError> {
    let dir = parse_dir(dir).map_err(FileError::escape)?;
    let peer = known_peer(node, to)?;
    let source = path.to_owned();
    let (file, meta, name) = node
        .files
        .pool()
        .async_task(move || open_source(&source))
        .await
        .map_err(|err| FileError::unreadable(format!("{}: {err}", path.display())))??;
    let size = meta.size;
    let offer = Offer {
        name,
        dir,
        meta,
        overwrite,
    };
    let (transfer, from, piece) = match ask(node, &peer, &Op::FileStart(offer), limit).await? {
        Answer::FileDone { identical } => {
            return Ok(SentFile {
                size,
                from: size,
                identical,
            });
        }
        Answer::FileAt {
            transfer,
            offset,
            chunk,
        } if offset <= size => (transfer, offset, chunk),
        other => return Err(unexpected(other)),
    };
    let piece = u64::from(piece.clamp(MIN_PIECE, PIECE as u32));
    let mut stream = Stream {
        node,
        peer: &peer,
        order: ORDER_BASE | transfer,
        file,
        size,
        transfer,
        next: from,
        piece,
        flight: VecDeque::new(),
    };
    let sent = stream.run(limit).await;
    for (id, _, _) in stream.flight.drain(..) {
        node.forget(&peer, id);
    }
    sent?;
    Ok(SentFile {
        size,
        from,
        identical: false,
    })
}

/// `Node::del_file`.
pub(crate) async fn del_file(
    node: &Arc<NodeState>,
    to: Location,
    file: &str,
    dir: Option<&str>,
    limit: Duration,
) -> Result<(), FileError> {
    let dir = parse_dir(dir).map_err(FileError::escape)?;
    let name = file.rsplit('/').next().unwrap_or(file).to_owned();
    check_name(&name).map_err(FileError::escape)?;
    let peer = known_peer(node, to)?;
    match ask(node, &peer, &Op::FileDelete(FileName { name, dir }), limit).await? {
        Answer::Done => Ok(()),
        other => Err(unexpected(other)),
    }
}

/// The peer at `to`, if this node links to it (or is linking).
fn known_peer(node: &NodeState, to: Location) -> Result<Arc<Peer>, FileError> {
    match node.peer(&to.to_string().into()) {
        Some(peer) if peer.lock().state != LinkState::Offline => Ok(peer),
        Some(_) => Err(FileError::unknown_peer(format!("{to} is offline"))),
        None => Err(FileError::unknown_peer(format!("{to} is not a peer"))),
    }
}

/// Opens the file to send: a readable regular file with a UTF-8 name.
fn open_source(path: &Path) -> Result<(Arc<File>, FileMeta, String), FileError> {
    let unreadable = |why: String| FileError::unreadable(format!("{}: {why}", path.display()));
    let name = path
        .file_name()
        .ok_or_else(|| unreadable("no file name".to_owned()))?
        .to_str()
        .ok_or_else(|| unreadable("the name is not UTF-8".to_owned()))?
        .to_owned();
    // Checked before opening: opening a FIFO would wait for a writer.
    let found = std::fs::metadata(path).map_err(|err| unreadable(err.to_string()))?;
    if !found.is_file() {
        return Err(unreadable("not a regular file".to_owned()));
    }
    let file = File::open(path).map_err(|err| unreadable(err.to_string()))?;
    let meta = file.metadata().map_err(|err| unreadable(err.to_string()))?;
    if !meta.is_file() {
        return Err(unreadable("not a regular file".to_owned()));
    }
    Ok((Arc::new(file), FileMeta::of(&meta), name))
}

/// Sends one request and waits up to `limit` for its answer; a refusal
/// is the error.
async fn ask(
    node: &Arc<NodeState>,
    peer: &Arc<Peer>,
    op: &Op,
    limit: Duration,
) -> Result<Answer, FileError> {
    let (reply, answered) = oneshot();
    let id = node.request(peer, None, op, reply);
    let answer = answered.timeout(limit).await;
    if answer.is_none() {
        node.forget(peer, id);
    }
    answered_so(peer, limit, answer)
}

/// A request's outcome as `send_file` reports it.
fn answered_so(
    peer: &Peer,
    limit: Duration,
    answer: Option<Result<Answer, Failure>>,
) -> Result<Answer, FileError> {
    match answer {
        None | Some(Err(Failure::TimedOut)) => Err(FileError::timed_out(format!(
            "{} did not answer within {limit:?}",
            peer.location
        ))),
        Some(Err(Failure::Unreachable(why))) => Err(FileError::unreachable(why)),
        Some(Ok(Answer::FileRefused(refusal))) => Err(FileError::refused(refusal)),
        Some(Ok(answer)) => Ok(answer),
    }
}

fn unexpected(answer: Answer) -> FileError {
    FileError::interrupted(format!("unexpected answer: {answer:?}"))
}

/// The pieces of one transfer, from `next` on.
struct Stream<'a> {
    node: &'a Arc<NodeState>,
    peer: &'a Arc<Peer>,
    /// The outbox target the pieces are ordered by.
    order: u64,
    file: Arc<File>,
    size: u64,
    transfer: u64,
    /// The offset of the next piece to read.
    next: u64,
    piece: u64,
    /// Pieces sent: request id, answer, the offset after the piece.
    flight: VecDeque<(u64, Answered, u64)>,
}

impl Stream<'_> {
    /// Sends every piece, keeping up to [`WINDOW`] unanswered; `Ok` once
    /// the receiver has the file in place.
    async fn run(&mut self, limit: Duration) -> Result<(), FileError> {
        loop {
            while self.flight.len() < WINDOW && self.next < self.size {
                self.send_next().await?;
            }
            let Some((id, answered, end)) = self.flight.pop_front() else {
                return Err(FileError::interrupted(
                    "every piece was sent but the file was not confirmed",
                ));
            };
            let answer = answered.timeout(limit).await;
            if answer.is_none() {
                self.node.forget(self.peer, id);
            }
            match answered_so(self.peer, limit, answer)? {
                Answer::FileAt { offset, .. } if offset == end && end < self.size => {}
                Answer::FileDone { .. } if end == self.size => return Ok(()),
                other => return Err(unexpected(other)),
            }
        }
    }

    /// Reads the next piece (on the pool) and sends it.
    async fn send_next(&mut self) -> Result<(), FileError> {
        let (offset, len) = (self.next, self.piece.min(self.size - self.next));
        let file = self.file.clone();
        let data = self
            .node
            .files
            .pool()
            .async_task(move || {
                let mut buf = vec![0; len as usize];
                file.read_exact_at(&mut buf, offset).map(|()| buf)
            })
            .await
            .map_err(|err| FileError::unreadable(err.to_string()))?
            .map_err(|err| {
                FileError::unreadable(format!("the file changed while it was sent: {err}"))
            })?;
        let op = Op::FileChunk(Chunk {
            transfer: self.transfer,
            offset,
            data: Bytes(data),
        });
        let (reply, answered) = oneshot();
        // Ordered as one target: a last piece under the bulk threshold
        // must not overtake the bulk pieces before it.
        let id = self.node.request(self.peer, Some(self.order), &op, reply);
        self.next = offset + len;
        self.flight.push_back((id, answered, self.next));
        Ok(())
    }
}
