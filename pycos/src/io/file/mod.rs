//! [`AsyncFile`]: asynchronous reads and writes on any descriptor (pycos'
//! `asyncfile.AsyncFile`).
//!
//! Descriptors the reactor can watch — pipes, FIFOs, sockets, terminals —
//! are made non-blocking and driven by readiness. The others (regular files,
//! which epoll refuses, and a few devices) go through a worker thread
//! (`thread`), transparently: the same futures, the same timeouts.

mod ops;
mod thread;

use crate::io::limit::OpLimit;
use std::fmt;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use rustix::event::epoll;
use rustix::fs::FileType;

use super::error::open_error;
use super::partial::Pending;
use super::registration::IoSource;
use super::socket::AsyncSocket;
use super::turn::Turn;
use crate::IntoTimeout;
use thread::Worker;

/// How a file's calls are made.
#[derive(Debug)]
enum Backend {
    /// Non-blocking, driven by the reactor.
    Polled(IoSource),
    /// Blocking, on a worker thread.
    Thread(Worker),
}

/// Asynchronous reads and writes on a descriptor: pycos' `AsyncFile`.
///
/// Operations take `&self` and queue per direction; share a file between a
/// reading and a writing task with `Arc<AsyncFile>`. Bytes read ahead by
/// [`readline`](AsyncFile::readline), or by a read that was given up, are
/// served first by the next read.
///
/// Time limits: [`.timeout(t)`](crate::WaitExt::timeout) on any operation,
/// or pycos' per-operation limit [`settimeout`](AsyncFile::settimeout),
/// under which `read(0)`, [`read_full`](AsyncFile::read_full) and
/// [`write_full`](AsyncFile::write_full) return what they got (the limit
/// covers the whole operation) and fail with `TimedOut` only if they got
/// nothing.
///
/// On a [virtual clock](crate::Builder::virtual_clock), time does not pass
/// while a call runs on a worker thread (it may wake a task before the next
/// timer), so a `.timeout(5.0)` on a threaded read waits for the read;
/// polled descriptors (pipes, sockets) need no such rule, since the
/// scheduler collects their readiness before time jumps.
///
/// # Examples
///
/// ```
/// use std::process::{Command, Stdio};
/// use pycos::prelude::*;
///
/// #[task]
/// fn first_line() -> std::io::Result<Vec<u8>> {
///     let child = Command::new("printf").arg("one\\ntwo\\n").stdout(Stdio::piped()).spawn()?;
///     // A pipe: non-blocking, driven by the reactor.
///     let out = AsyncFile::new(child.stdout.unwrap())?;
///     let line = out.readline().await?;
///     assert_eq!(out.read(0).await?, b"two\n", "the rest, to the end");
///     Ok(line)
/// }
///
/// let sched = Pycos::new();
/// assert_eq!(sched.spawn(first_line()).value()?, b"one\n");
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AsyncFile {
    backend: Backend,
    /// pycos' per-operation limit (`settimeout`).
    timeout: OpLimit,
    pending: Mutex<Pending>,
    reading: Turn,
    writing: Turn,
}

impl AsyncFile {
    fn with_backend(backend: Backend, pending: Vec<u8>) -> AsyncFile {
        AsyncFile {
            backend,
            timeout: OpLimit::new(),
            pending: Mutex::new(Pending::from(pending)),
            reading: Turn::default(),
            writing: Turn::default(),
        }
    }

    /// Wraps `fd` (a pipe end, FIFO, socket, terminal, file, ...). A
    /// descriptor the reactor can watch is switched to non-blocking mode, as
    /// pycos does; others are served by a worker thread.
    ///
    /// Non-blocking mode belongs to the open file, which other processes may
    /// share (a terminal on stdin): use [`threaded`](AsyncFile::threaded) or
    /// [`stdin`](AsyncFile::stdin) for those.
    ///
    /// # Errors
    ///
    /// When the descriptor cannot be examined or switched, or no thread can
    /// be started.
    pub fn new(fd: impl Into<OwnedFd>) -> io::Result<AsyncFile> {
        let fd = fd.into();
        if !pollable(&fd)? {
            return AsyncFile::threaded(fd);
        }
        rustix::io::ioctl_fionbio(&fd, true)?;
        Ok(AsyncFile::with_backend(
            Backend::Polled(IoSource::new(fd)),
            Vec::new(),
        ))
    }

    /// Wraps `fd` without changing its mode: its calls block a worker
    /// thread instead of the scheduler.
    ///
    /// # Errors
    ///
    /// When no thread can be started.
    pub fn threaded(fd: impl Into<OwnedFd>) -> io::Result<AsyncFile> {
        Ok(AsyncFile::with_backend(
            Backend::Thread(Worker::spawn(fd.into())?),
            Vec::new(),
        ))
    }

    /// The process's standard input (a duplicate of descriptor 0, served by
    /// a worker thread, so the terminal or pipe is left as it was).
    ///
    /// # Errors
    ///
    /// When the descriptor cannot be duplicated or no thread started.
    pub fn stdin() -> io::Result<AsyncFile> {
        AsyncFile::threaded(io::stdin().as_fd().try_clone_to_owned()?)
    }

    /// Opens the file at `path` for reading.
    ///
    /// # Errors
    ///
    /// As [`File::open`], with an [`OpenError`](crate::io::OpenError)
    /// inside that names the path: `cannot open /no/such: No such file or
    /// directory (os error 2)`.
    pub fn open(path: impl AsRef<Path>) -> io::Result<AsyncFile> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|err| open_error(path, false, err))?;
        AsyncFile::new(file)
    }

    /// Creates (or truncates) the file at `path` for writing.
    ///
    /// # Errors
    ///
    /// As [`File::create`], with an [`OpenError`](crate::io::OpenError)
    /// inside that names the path.
    pub fn create(path: impl AsRef<Path>) -> io::Result<AsyncFile> {
        let path = path.as_ref();
        let file = File::create(path).map_err(|err| open_error(path, true, err))?;
        AsyncFile::new(file)
    }

    /// Whether calls go through a worker thread rather than the reactor.
    pub fn is_threaded(&self) -> bool {
        matches!(self.backend, Backend::Thread(_))
    }

    /// Sets pycos' per-operation time limit (see the type's docs); `None`
    /// or infinity: no limit, the default.
    pub fn settimeout(&self, limit: impl IntoTimeout) {
        self.timeout.set(limit);
    }

    /// The per-operation time limit, if any.
    pub fn gettimeout(&self) -> Option<Duration> {
        self.timeout.get()
    }

    /// Closes the descriptor (dropping the file does the same). A worker
    /// thread ends after the call it is in, if any.
    pub fn close(self) {}
}

/// Whether epoll accepts `fd`: not for regular files, directories and block
/// devices (always "ready", so epoll refuses them); character devices vary
/// and are tried on a scratch epoll instance.
fn pollable(fd: &OwnedFd) -> io::Result<bool> {
    let kind = FileType::from_raw_mode(rustix::fs::fstat(fd)?.st_mode);
    Ok(match kind {
        FileType::RegularFile | FileType::Directory | FileType::BlockDevice => false,
        FileType::Fifo | FileType::Socket => true,
        _ => {
            let scratch = epoll::create(epoll::CreateFlags::CLOEXEC)?;
            epoll::add(
                &scratch,
                fd,
                epoll::EventData::new_u64(0),
                epoll::EventFlags::IN,
            )
            .is_ok()
        }
    })
}

/// Takes over a socket's descriptor (pycos' `AsyncFile(sock)`); bytes the
/// socket kept from an abandoned read are served first. A TLS session is
/// not carried over: the file sees the raw stream.
impl From<AsyncSocket> for AsyncFile {
    fn from(sock: AsyncSocket) -> AsyncFile {
        let (fd, pending) = sock.into_parts();
        AsyncFile::with_backend(Backend::Polled(IoSource::new(fd)), pending)
    }
}

impl AsFd for AsyncFile {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match &self.backend {
            Backend::Polled(src) => src.fd(),
            Backend::Thread(worker) => worker.fd(),
        }
    }
}

impl AsRawFd for AsyncFile {
    fn as_raw_fd(&self) -> RawFd {
        self.as_fd().as_raw_fd()
    }
}

impl fmt::Debug for AsyncFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFile")
            .field("fd", &self.as_raw_fd())
            .field("threaded", &self.is_threaded())
            .finish_non_exhaustive()
    }
}
