//! [`FileError`]: why `send_file` or `del_file` failed, with a query per
//! reason, and [`SentFile`]: what a successful `send_file` did.

use std::fmt;

use super::wire::{Fault, Refusal};

/// Why [`Node::send_file`](crate::Node::send_file) or
/// [`Node::del_file`](crate::Node::del_file) failed.
///
/// Opaque, with one `is_*` query per reason (pycos answers -1 for all of
/// them); the text says what happened and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    kind: Kind,
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exists,
    Unreadable,
    Escape,
    UnknownPeer,
    Oversize,
    NotFound,
    Io,
    Interrupted,
    Unreachable,
    TimedOut,
}

impl FileError {
    fn new(kind: Kind, text: impl Into<String>) -> FileError {
        FileError {
            kind,
            text: text.into(),
        }
    }

    pub(crate) fn unreadable(text: impl Into<String>) -> FileError {
        FileError::new(Kind::Unreadable, text)
    }

    pub(crate) fn escape(text: impl Into<String>) -> FileError {
        FileError::new(Kind::Escape, text)
    }

    pub(crate) fn unknown_peer(text: impl Into<String>) -> FileError {
        FileError::new(Kind::UnknownPeer, text)
    }

    pub(crate) fn unreachable(text: impl Into<String>) -> FileError {
        FileError::new(Kind::Unreachable, text)
    }

    pub(crate) fn timed_out(text: impl Into<String>) -> FileError {
        FileError::new(Kind::TimedOut, text)
    }

    pub(crate) fn interrupted(text: impl Into<String>) -> FileError {
        FileError::new(Kind::Interrupted, text)
    }

    /// The receiver's refusal, as the sender reports it.
    pub(crate) fn refused(refusal: Refusal) -> FileError {
        let kind = match refusal.fault {
            Fault::Exists => Kind::Exists,
            Fault::Escape => Kind::Escape,
            Fault::Oversize => Kind::Oversize,
            Fault::NotFound => Kind::NotFound,
            Fault::Io => Kind::Io,
            Fault::Lost => Kind::Interrupted,
        };
        FileError::new(kind, refusal.why)
    }

    /// A different file of that name is at the receiver and `overwrite`
    /// was false.
    pub fn is_exists(&self) -> bool {
        self.kind == Kind::Exists
    }

    /// The source is not a readable regular file (or changed while it
    /// was read, or its name is not UTF-8).
    pub fn is_unreadable(&self) -> bool {
        self.kind == Kind::Unreadable
    }

    /// The directory (or name) is absolute, has `..`, or leads out of the
    /// receiver's `dest_path` (through a symbolic link there).
    pub fn is_escape(&self) -> bool {
        self.kind == Kind::Escape
    }

    /// The location is not a peer of this node (never linked, or Offline).
    pub fn is_unknown_peer(&self) -> bool {
        self.kind == Kind::UnknownPeer
    }

    /// The file is larger than the receiver's `max_file_size` (refused
    /// before anything was written).
    pub fn is_oversize(&self) -> bool {
        self.kind == Kind::Oversize
    }

    /// `del_file`: no such file at the receiver.
    pub fn is_not_found(&self) -> bool {
        self.kind == Kind::NotFound
    }

    /// The receiver could not create, write or delete the file (its text
    /// says why); a partial file is removed.
    pub fn is_io(&self) -> bool {
        self.kind == Kind::Io
    }

    /// The receiver no longer has the transfer (it failed there, or its
    /// partial file was cleaned up): send the file again.
    pub fn is_interrupted(&self) -> bool {
        self.kind == Kind::Interrupted
    }

    /// The link to the peer failed or closed during the exchange. The
    /// receiver keeps what it got: sending again resumes from there.
    pub fn is_unreachable(&self) -> bool {
        self.kind == Kind::Unreachable
    }

    /// No answer within the time limit; sending again resumes.
    pub fn is_timed_out(&self) -> bool {
        self.kind == Kind::TimedOut
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for FileError {}

/// What a successful [`Node::send_file`](crate::Node::send_file) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentFile {
    pub(crate) size: u64,
    pub(crate) from: u64,
    pub(crate) identical: bool,
}

impl SentFile {
    /// The file's size.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The offset this transfer started at: 0, or what the receiver kept
    /// of an earlier, broken transfer of the same file (the size when the
    /// file was there already).
    pub fn resumed_at(&self) -> u64 {
        self.from
    }

    /// How many bytes of content this call sent.
    pub fn bytes_sent(&self) -> u64 {
        self.size - self.from
    }

    /// Whether an identical file (same size and mode, modified within a
    /// second) was there already, so nothing was sent (pycos returns 0
    /// for it too).
    pub fn was_identical(&self) -> bool {
        self.identical
    }
}
