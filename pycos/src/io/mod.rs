//! Asynchronous I/O on the scheduler's reactor: [`AsyncSocket`],
//! [`AsyncFile`] and [`AsyncPipe`] (pycos' `AsyncSocket` and `asyncfile`).
//!
//! Every operation that can wait is a future awaited inside a task; while it
//! waits, the scheduler runs other tasks. Each takes a time limit the usual
//! way, [`.timeout(t)`](crate::WaitExt::timeout), and sockets and files also
//! keep pycos' per-operation limit (`settimeout`) with pycos' rules for
//! partial results.
//!
//! # The seam
//!
//! This module is the only place that talks to the operating system about
//! descriptors. It provides:
//! - `registration`: a descriptor registered (lazily, on the scheduler that
//!   first waits on it) with that scheduler's mio reactor, its readiness
//!   polled and cleared, and deregistered on drop;
//! - `wait`: waiting for readiness with a deadline, either in the reactor or,
//!   for pycos' blocking mode, in `poll(2)` on the calling thread;
//! - `turn`: first-come, first-served queueing of operations per direction;
//! - `partial`: read buffers that keep the bytes of abandoned reads;
//! - `join`: several waits at once inside one task;
//! - system calls through `rustix`, a safe wrapper of each call (sockets,
//!   `poll`, `fstat`, `pidfd_open`), so this module has no `unsafe` code.
//!
//! On top of it: `socket` ([`AsyncSocket`], with TLS by rustls when the
//! `tls` cargo feature is on, as it is by default, and the `futures-io`
//! traits), `file` ([`AsyncFile`], with a worker thread for
//! what epoll cannot watch) and `pipe` ([`AsyncPipe`], with process exit
//! waited through a pidfd). No mio, rustix or rustls type appears in a
//! public signature.

mod error;
mod file;
mod join;
mod limit;
mod partial;
mod pipe;
mod registration;
mod socket;
mod turn;
mod wait;

pub use error::{NotInTask, OpenError, OtherScheduler};
pub use file::AsyncFile;
pub use pipe::{AsyncPipe, Input};
pub use socket::{AsyncSocket, Blocking, DEFAULT_MAX_MSG_SIZE, FrameTooLarge, TruncatedFrame};
#[cfg(feature = "tls")]
pub use socket::{TlsClient, TlsError, TlsServer};
