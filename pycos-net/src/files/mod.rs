//! Files between nodes: pycos' `send_file` and `del_file`, and the
//! receiver's `dest_path`.
//!
//! - `error`: [`FileError`] and [`SentFile`], what the calls give;
//! - `wire`: what the file requests and answers carry;
//! - `path`: keeping received files under `dest_path`;
//! - `send`: the sending side;
//! - `receive`: the receiving side: transfers, partial files, cleanup.
//!
//! # The exchange
//!
//! pycos' own exchange (PYCOS-FEATURES §9.4) writes the file raw on a
//! connection of its own. Here a transfer is requests on the link the
//! peers already share, so it is authenticated (and encrypted with TLS)
//! like everything else, and a transfer never holds the link:
//!
//! 1. `FileStart` offers the file: its name, directory, size, times and
//!    mode, and `overwrite`. The receiver checks everything before
//!    writing anything (the names, `max_file_size`, the path on disk, an
//!    existing file) and answers `FileDone { identical: true }` when an
//!    identical file is there already, `FileRefused` with the reason, or
//!    `FileAt { transfer, offset, chunk }`: the transfer's id, how many
//!    bytes it holds already (0, or what it kept of an earlier, broken
//!    transfer of the same file), and the largest piece to send.
//! 2. `FileChunk { transfer, offset, data }` carries the next piece; the
//!    receiver answers each once it is written, with the new offset, and
//!    the last one with `FileDone` once the file is in place (times and
//!    mode set, renamed over the name).
//!
//! A piece is 256 KiB, over the outbox's bulk threshold, so it travels
//! as bulk: cut into 16 KiB chunks that take turns with the link's small
//! frames, so messages to the same peer keep flowing during a transfer.
//! The sender keeps at most four pieces unanswered: it reads a piece
//! (positionally, on a thread of the node's pool) only when there is
//! room, and the receiver writes each (positionally, on the pool) as it
//! comes. So a file of any size costs each side a few pieces of memory,
//! and the scheduler thread never blocks on the disk. A piece of zeros
//! is not written but left as a hole, so a sparse file stays sparse.
//!
//! # Partial files, resuming, cleanup
//!
//! The receiver writes to `.NAME.pycos-part` beside the file and renames
//! it when complete, so a reader never sees a half file under the name.
//! When the link breaks, the receiver keeps the partial file and the
//! transfer, and a new `send_file` of the same file (same size, times and
//! mode) resumes at the offset it has. It keeps them while the sending
//! peer may come back: through link breaks and redials, and for the
//! message timeout after the peer went Offline (a peer that closed the
//! link with `close_peer` and links again within it resumes). Then, and
//! when a write fails, and when the program ends, the partial file is
//! deleted. The sender writes no file, so a sender killed mid-transfer
//! leaves nothing on either side once the receiver has given it up.

mod error;
mod path;
mod receive;
mod send;
mod wire;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once, OnceLock};

use pycos::AsyncThreadPool;

pub use error::{FileError, SentFile};
pub(crate) use receive::{serve_chunk, serve_delete, serve_start};
pub(crate) use send::{del_file, send_file};
pub(crate) use wire::{Chunk, FileName, Offer, Refusal};

use crate::node::NodeBuilder;
use crate::util::lock;
use receive::Transfer;

/// The threads that read and write files for the node's tasks.
const POOL_THREADS: usize = 2;

/// The node's file state: where files go, and the transfers under way.
pub(crate) struct Files {
    /// The first `dest_path`: every later one stays under it.
    prefix: PathBuf,
    dest: Mutex<PathBuf>,
    /// The largest file accepted (0: any).
    max_size: u64,
    next_transfer: AtomicU64,
    transfers: Mutex<HashMap<u64, Arc<Transfer>>>,
    pool: OnceLock<AsyncThreadPool>,
    /// The cleanup of partial files (started with the first transfer).
    cleanup: Once,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files")
            .field("dest", &*lock(&self.dest))
            .field("max_size", &self.max_size)
            .field("transfers", &lock(&self.transfers).len())
            .finish_non_exhaustive()
    }
}

impl Files {
    pub(crate) fn new(cfg: &NodeBuilder) -> Files {
        let dest = cfg
            .dest_path
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("pycos"));
        let dest = std::path::absolute(&dest).unwrap_or(dest);
        Files {
            prefix: dest.clone(),
            dest: Mutex::new(dest),
            max_size: cfg.max_file_size,
            next_transfer: AtomicU64::new(1),
            transfers: Mutex::new(HashMap::new()),
            pool: OnceLock::new(),
            cleanup: Once::new(),
        }
    }

    /// Creates `dest_path` (at the node's start, as pycos does).
    pub(crate) fn prepare(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&*lock(&self.dest))
    }

    pub(crate) fn dest_path(&self) -> PathBuf {
        lock(&self.dest).clone()
    }

    /// pycos' `dest_path` setter: the path, kept under the first one, is
    /// created and used from now on.
    pub(crate) fn set_dest_path(&self, path: &Path) -> std::io::Result<PathBuf> {
        let dest = path::under_prefix(&self.prefix, path);
        std::fs::create_dir_all(&dest)?;
        *lock(&self.dest) = dest.clone();
        Ok(dest)
    }

    fn pool(&self) -> &AsyncThreadPool {
        self.pool.get_or_init(|| AsyncThreadPool::new(POOL_THREADS))
    }

    fn next_id(&self) -> u64 {
        self.next_transfer.fetch_add(1, Ordering::Relaxed)
    }

    fn transfers(&self) -> MutexGuard<'_, HashMap<u64, Arc<Transfer>>> {
        lock(&self.transfers)
    }
}
