//! The receiving side: a [`Transfer`] per file under way, its writer
//! task, the finished file put in place, `del_file`, and the cleanup of
//! partial files whose sender is gone (see the module doc of `files`).

use std::collections::VecDeque;
use std::fs::{self, File, FileTimes, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{FileExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use pycos::prelude::*;

use crate::Location;
use crate::node::peer::Peer;
use crate::node::serve::send_answer;
use crate::node::state::NodeState;
use crate::node::{PeerState, PeerStatus};
use crate::proto::Answer;

use super::path::{check_dir, check_name, resolve_dir};
use super::wire::{Chunk, Fault, FileMeta, FileName, Offer, Refusal};

/// The largest piece of a file per chunk request (over the bulk
/// threshold, so it travels as bulk).
pub(super) const PIECE: usize = 256 << 10;

/// One file being received.
#[derive(Debug)]
pub(crate) struct Transfer {
    id: u64,
    target: PathBuf,
    part: PathBuf,
    meta: FileMeta,
    overwrite: bool,
    file: Arc<File>,
    progress: Mutex<Progress>,
}

#[derive(Debug)]
struct Progress {
    /// The sending peer (of the last `FileStart`).
    peer: Location,
    /// The end of the last piece queued.
    accepted: u64,
    queue: VecDeque<Piece>,
    /// A writer task runs.
    writing: bool,
    /// The last time a sender did something with it.
    touched: Instant,
    /// Given up or finished: its writer stops.
    gone: bool,
}

/// A piece waiting to be written, and whom to answer.
#[derive(Debug)]
struct Piece {
    request: u64,
    peer: Arc<Peer>,
    offset: u64,
    data: Vec<u8>,
}

impl Transfer {
    fn progress(&self) -> MutexGuard<'_, Progress> {
        crate::util::lock(&self.progress)
    }
}

fn refused(fault: Fault, why: impl Into<String>) -> Answer {
    Answer::FileRefused(Refusal::new(fault, why))
}

/// The largest piece the node's frames can carry.
fn piece_size(node: &NodeState) -> u32 {
    let fits = node.cfg.max_frame.saturating_sub(256).max(1024);
    u32::try_from(PIECE.min(fits)).unwrap_or(u32::MAX)
}

// ------------------------------------------------------------- FileStart

/// Serves `FileStart`: the checks and the partial file, on the pool.
pub(crate) fn serve_start(node: &Arc<NodeState>, peer: &Arc<Peer>, id: u64, offer: Offer) {
    node.sched
        .spawn(start(node.clone(), peer.clone(), id, offer));
}

#[task]
fn start(node: Arc<NodeState>, peer: Arc<Peer>, id: u64, offer: Offer, task: TaskCtx) {
    task.set_daemon(true);
    let on_pool = node.clone();
    let from = peer.location;
    let answer = node
        .files
        .pool()
        .async_task(move || open(&on_pool, from, offer).unwrap_or_else(Answer::FileRefused))
        .await
        .unwrap_or_else(|err| refused(Fault::Io, format!("the file request failed: {err}")));
    send_answer(&node, &peer, id, &answer);
}

/// Checks an offer and opens (or finds, to resume) its transfer.
fn open(node: &Arc<NodeState>, from: Location, offer: Offer) -> Result<Answer, Refusal> {
    let files = &node.files;
    let escape = |why: String| Refusal::new(Fault::Escape, why);
    check_name(&offer.name).map_err(escape)?;
    let dir = check_dir(offer.dir).map_err(escape)?;
    let size = offer.meta.size;
    if files.max_size > 0 && size > files.max_size {
        return Err(Refusal::new(
            Fault::Oversize,
            format!(
                "{} is {size} bytes, over the receiver's limit of {}",
                offer.name, files.max_size
            ),
        ));
    }
    let here = resolve_dir(&files.dest_path(), &dir, true)?;
    let target = here.join(&offer.name);
    if there_already(&target, &offer.meta, offer.overwrite)? {
        return Ok(Answer::FileDone { identical: true });
    }
    if let Some(resumed) = resume(files, &target, &offer.meta, from) {
        return Ok(resumed.at(node));
    }
    let part = here.join(format!(".{}.pycos-part", offer.name));
    let io = |what: &str, err: io::Error| {
        Refusal::new(
            Fault::Io,
            format!("cannot {what} {}: {err}", part.display()),
        )
    };
    match fs::remove_file(&part) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(io("remove", err)),
        _ => {}
    }
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(&part)
        .map_err(|err| io("create", err))?;
    let transfer = Arc::new(Transfer {
        id: files.next_id(),
        target,
        part,
        meta: offer.meta,
        overwrite: offer.overwrite,
        file: Arc::new(file),
        progress: Mutex::new(Progress {
            peer: from,
            accepted: 0,
            queue: VecDeque::new(),
            writing: false,
            touched: Instant::now(),
            gone: false,
        }),
    });
    if size == 0 {
        finish(&transfer).inspect_err(|_| {
            let _ = fs::remove_file(&transfer.part);
        })?;
        return Ok(Answer::FileDone { identical: false });
    }
    files.transfers().insert(transfer.id, transfer.clone());
    start_cleanup(node);
    tracing::debug!(file = %transfer.target.display(), size, "receiving a file");
    Ok(transfer.at(node))
}

impl Transfer {
    fn at(&self, node: &NodeState) -> Answer {
        Answer::FileAt {
            transfer: self.id,
            offset: self.progress().accepted,
            chunk: piece_size(node),
        }
    }
}

/// Whether an identical file is at `target`; an error for a different
/// one that may not be replaced.
fn there_already(target: &Path, meta: &FileMeta, overwrite: bool) -> Result<bool, Refusal> {
    match fs::symlink_metadata(target) {
        Ok(found) if found.is_file() && FileMeta::of(&found).same_file(meta) => Ok(true),
        Ok(found) if found.is_dir() => Err(Refusal::new(
            Fault::Exists,
            format!("{} is a directory", target.display()),
        )),
        Ok(_) if !overwrite => Err(Refusal::new(
            Fault::Exists,
            format!(
                "a different {} is there (and overwrite is off)",
                target.display()
            ),
        )),
        Ok(_) => Ok(false),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(Refusal::new(
            Fault::Io,
            format!("cannot examine {}: {err}", target.display()),
        )),
    }
}

/// The transfer of the same file to `target` under way, if any; one of
/// another file there is given up.
fn resume(
    files: &super::Files,
    target: &Path,
    meta: &FileMeta,
    from: Location,
) -> Option<Arc<Transfer>> {
    let found = files
        .transfers()
        .values()
        .find(|t| t.target == target)
        .cloned()?;
    // The same file: size, mtime and mode (its atime moves as it is read).
    let same = |a: &FileMeta| (a.size, a.mtime, a.mode) == (meta.size, meta.mtime, meta.mode);
    if same(&found.meta) {
        let mut progress = found.progress();
        if !progress.gone {
            progress.peer = from;
            progress.touched = Instant::now();
            tracing::debug!(file = %target.display(), at = progress.accepted, "resuming a file");
            drop(progress);
            return Some(found);
        }
    }
    discard(files, &found, true);
    None
}

/// Ends a transfer: out of the table, its writer stopped, and its
/// partial file deleted when `delete`.
fn discard(files: &super::Files, transfer: &Transfer, delete: bool) {
    files.transfers().remove(&transfer.id);
    transfer.progress().gone = true;
    if delete {
        match fs::remove_file(&transfer.part) {
            Ok(()) => {
                tracing::info!(file = %transfer.part.display(), "partial file removed");
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => {
                tracing::warn!(file = %transfer.part.display(), %err, "partial file not removed");
            }
        }
    }
}

// ------------------------------------------------------------- FileChunk

/// Serves `FileChunk`: queues the piece for its transfer's writer (on the
/// reader's turn: checks only, no disk).
pub(crate) fn serve_chunk(node: &Arc<NodeState>, peer: &Arc<Peer>, id: u64, chunk: Chunk) {
    let found = node.files.transfers().get(&chunk.transfer).cloned();
    let Some(transfer) = found else {
        let why = format!(
            "no transfer {} here (it failed or was cleaned up)",
            chunk.transfer
        );
        send_answer(node, peer, id, &refused(Fault::Lost, why));
        return;
    };
    let len = chunk.data.0.len() as u64;
    let queued = {
        let mut progress = transfer.progress();
        if progress.gone {
            Err("the transfer ended".to_owned())
        } else if chunk.offset != progress.accepted
            || len == 0
            || chunk.offset + len > transfer.meta.size
        {
            Err(format!(
                "a piece of {len} bytes at {}: the receiver is at {} of {}",
                chunk.offset, progress.accepted, transfer.meta.size
            ))
        } else {
            progress.accepted += len;
            progress.touched = Instant::now();
            progress.queue.push_back(Piece {
                request: id,
                peer: peer.clone(),
                offset: chunk.offset,
                data: chunk.data.0,
            });
            Ok(!std::mem::replace(&mut progress.writing, true))
        }
    };
    match queued {
        Ok(true) => {
            node.sched.spawn(write(node.clone(), transfer));
        }
        Ok(false) => {}
        Err(why) => send_answer(node, peer, id, &refused(Fault::Lost, why)),
    }
}

/// Writes a transfer's pieces in order, answering each; the last puts
/// the file in place.
#[task]
fn write(node: Arc<NodeState>, transfer: Arc<Transfer>, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let piece = {
            let mut progress = transfer.progress();
            match progress.queue.pop_front() {
                Some(piece) if !progress.gone => piece,
                Some(piece) => {
                    drop(progress);
                    let why = "the transfer ended before this piece was written";
                    send_answer(
                        &node,
                        &piece.peer,
                        piece.request,
                        &refused(Fault::Lost, why),
                    );
                    continue;
                }
                None => {
                    progress.writing = false;
                    return;
                }
            }
        };
        let end = piece.offset + piece.data.len() as u64;
        let last = end == transfer.meta.size;
        let on_pool = transfer.clone();
        let Piece {
            request,
            peer,
            offset,
            data,
        } = piece;
        let written = node
            .files
            .pool()
            .async_task(move || {
                write_at(&on_pool.file, &data, offset).map_err(|err| {
                    Refusal::new(
                        Fault::Io,
                        format!("cannot write {}: {err}", on_pool.part.display()),
                    )
                })?;
                if last { finish(&on_pool) } else { Ok(()) }
            })
            .await
            .unwrap_or_else(|err| Err(Refusal::new(Fault::Io, format!("the write failed: {err}"))));
        let answer = match written {
            Ok(()) if last => {
                discard(&node.files, &transfer, false);
                tracing::debug!(file = %transfer.target.display(), "file received");
                Answer::FileDone { identical: false }
            }
            Ok(()) => Answer::FileAt {
                transfer: transfer.id,
                offset: end,
                chunk: piece_size(&node),
            },
            Err(refusal) => {
                discard(&node.files, &transfer, true);
                Answer::FileRefused(refusal)
            }
        };
        send_answer(&node, &peer, request, &answer);
    }
}

/// Writes `data` at `offset`; a piece of zeros only makes the file long
/// enough (a hole).
fn write_at(file: &File, data: &[u8], offset: u64) -> io::Result<()> {
    // Compared a block at a time with zeros: `memcmp`, fast in any build.
    static ZEROS: [u8; 4096] = [0; 4096];
    if data.chunks(ZEROS.len()).all(|c| c == &ZEROS[..c.len()]) {
        let end = offset + data.len() as u64;
        if file.metadata()?.len() < end {
            file.set_len(end)?;
        }
        return Ok(());
    }
    file.write_all_at(data, offset)
}

/// Puts a complete file in place: its length, times and mode, then the
/// rename over its name.
fn finish(transfer: &Transfer) -> Result<(), Refusal> {
    let io = |what: &str, err: io::Error| {
        Refusal::new(
            Fault::Io,
            format!("cannot {what} {}: {err}", transfer.target.display()),
        )
    };
    let file = &transfer.file;
    let meta = &transfer.meta;
    file.set_len(meta.size).map_err(|err| io("size", err))?;
    let times = FileTimes::new()
        .set_accessed(meta.accessed())
        .set_modified(meta.modified());
    file.set_times(times)
        .map_err(|err| io("set the times of", err))?;
    file.set_permissions(Permissions::from_mode(meta.mode))
        .map_err(|err| io("set the mode of", err))?;
    if !transfer.overwrite && fs::symlink_metadata(&transfer.target).is_ok() {
        return Err(Refusal::new(
            Fault::Exists,
            format!(
                "{} appeared during the transfer (and overwrite is off)",
                transfer.target.display()
            ),
        ));
    }
    fs::rename(&transfer.part, &transfer.target).map_err(|err| io("rename to", err))
}

// ------------------------------------------------------------ FileDelete

/// Serves `FileDelete`, on the pool.
pub(crate) fn serve_delete(node: &Arc<NodeState>, peer: &Arc<Peer>, id: u64, name: FileName) {
    node.sched
        .spawn(delete(node.clone(), peer.clone(), id, name));
}

#[task]
fn delete(node: Arc<NodeState>, peer: Arc<Peer>, id: u64, name: FileName, task: TaskCtx) {
    task.set_daemon(true);
    let dest = node.files.dest_path();
    let answer = node
        .files
        .pool()
        .async_task(move || match remove(&dest, name) {
            Ok(()) => Answer::Done,
            Err(refusal) => Answer::FileRefused(refusal),
        })
        .await
        .unwrap_or_else(|err| refused(Fault::Io, format!("the delete failed: {err}")));
    send_answer(&node, &peer, id, &answer);
}

/// Deletes `dest/dir/name`, then the directories that became empty, up
/// to `dest`.
fn remove(dest: &Path, name: FileName) -> Result<(), Refusal> {
    let escape = |why: String| Refusal::new(Fault::Escape, why);
    check_name(&name.name).map_err(escape)?;
    let dir = check_dir(name.dir).map_err(escape)?;
    let here = resolve_dir(dest, &dir, false)?;
    let file = here.join(&name.name);
    match fs::symlink_metadata(&file) {
        Ok(found) if found.is_dir() => {
            return Err(Refusal::new(
                Fault::Io,
                format!("{} is a directory", file.display()),
            ));
        }
        Ok(_) => fs::remove_file(&file).map_err(|err| {
            Refusal::new(
                Fault::Io,
                format!("cannot delete {}: {err}", file.display()),
            )
        })?,
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            return Err(Refusal::new(
                Fault::NotFound,
                format!("{} does not exist", file.display()),
            ));
        }
        Err(err) => {
            return Err(Refusal::new(
                Fault::Io,
                format!("cannot examine {}: {err}", file.display()),
            ));
        }
    }
    let root = fs::canonicalize(dest).unwrap_or_else(|_| dest.to_owned());
    let mut parent = here;
    while parent != root && parent.starts_with(&root) && fs::remove_dir(&parent).is_ok() {
        parent.pop();
    }
    Ok(())
}

// --------------------------------------------------------------- cleanup

/// Starts, once, the cleanup of partial files: a task that hears every
/// peer going Offline, and an exit hook that deletes what is left.
fn start_cleanup(node: &Arc<NodeState>) {
    node.files.cleanup.call_once(|| {
        let watcher = node.sched.spawn(watch_offline(node.clone()));
        node.watch_peers(watcher.untyped());
        let at_exit = node.clone();
        node.sched.atexit(0, move || {
            let all: Vec<_> = at_exit.files.transfers().values().cloned().collect();
            for transfer in all {
                discard(&at_exit.files, &transfer, true);
            }
        });
    });
}

#[task]
fn watch_offline(node: Arc<NodeState>, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(status) = msg.downcast_ref::<PeerStatus>()
            && status.status == PeerState::Offline
        {
            node.sched
                .spawn(reap(node.clone(), status.location, Instant::now()));
        }
    }
}

/// After the message timeout, deletes the partial files of `peer` (gone
/// Offline at `since`) that no sender took up again meanwhile.
#[task]
fn reap(node: Arc<NodeState>, peer: Location, since: Instant, task: TaskCtx) {
    task.set_daemon(true);
    task.sleep(node.msg_timeout()).await;
    let back = node
        .peer(&peer.to_string().into())
        .is_some_and(|p| p.is_up());
    if back {
        return;
    }
    let stale: Vec<_> = node
        .files
        .transfers()
        .values()
        .filter(|t| {
            let progress = t.progress();
            progress.peer == peer && progress.touched <= since && !progress.writing
        })
        .cloned()
        .collect();
    for transfer in stale {
        tracing::debug!(%peer, file = %transfer.target.display(), "its sender is gone");
        discard(&node.files, &transfer, true);
    }
}
