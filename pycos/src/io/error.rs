//! Errors of the I/O seam shared by sockets, files and pipes. Each is
//! carried inside an [`io::Error`](std::io::Error) of the kind named below,
//! so callers match on the kind and downcast for detail.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// An I/O wait outside a pycos task (kind `Other`): asynchronous operations
/// are driven by the scheduler running the task that awaits them. Use the
/// socket's [`blocking`](crate::io::AsyncSocket::blocking) view from plain
/// threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotInTask;

impl fmt::Display for NotInTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("asynchronous I/O must be awaited inside a pycos task (use the blocking view in threads)")
    }
}

impl std::error::Error for NotInTask {}

/// An I/O object awaited on a second scheduler (kind `Other`): it is
/// registered with the reactor of the first scheduler that waited on it, and
/// readiness for it is reported only there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherScheduler;

impl fmt::Display for OtherScheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("this I/O object belongs to another scheduler's reactor")
    }
}

impl std::error::Error for OtherScheduler {}

pub(crate) fn not_in_task() -> io::Error {
    io::Error::other(NotInTask)
}

/// `Ok` on a scheduler thread, where asynchronous waits can be driven.
pub(crate) fn check_in_task() -> io::Result<()> {
    match crate::runtime::context::with_core(|_| ()) {
        Some(()) => Ok(()),
        None => Err(not_in_task()),
    }
}

pub(crate) fn other_scheduler() -> io::Error {
    io::Error::other(OtherScheduler)
}

/// pycos' `socket.timeout('timed out')` / `IOError('timedout')`.
pub(crate) fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "timed out")
}

/// Whether `err` is a timeout (to return partial results instead).
pub(crate) fn is_timeout(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::TimedOut
}

/// A file that could not be opened or created, with its path (inside an
/// `io::Error` of the cause's kind, so `NotFound` stays `NotFound`): the
/// message names the file, which the system's error alone does not.
#[derive(Debug)]
pub struct OpenError {
    path: PathBuf,
    create: bool,
    cause: io::Error,
}

impl OpenError {
    /// The path that could not be opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The system's error.
    pub fn cause(&self) -> &io::Error {
        &self.cause
    }
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = if self.create { "create" } else { "open" };
        // The cause is part of the message, not a `source()`: it is the
        // one line a user needs, and chains would print it twice.
        write!(f, "cannot {action} {}: {}", self.path.display(), self.cause)
    }
}

impl std::error::Error for OpenError {}

/// Wraps a failure to open (or create) `path`.
pub(crate) fn open_error(path: &Path, create: bool, cause: io::Error) -> io::Error {
    let kind = cause.kind();
    let err = OpenError {
        path: path.to_owned(),
        create,
        cause,
    };
    io::Error::new(kind, err)
}
