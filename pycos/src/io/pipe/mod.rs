//! [`AsyncPipe`]: asynchronous I/O with child processes started from
//! [`std::process::Command`] (pycos' `asyncfile.AsyncPipe`).
//!
//! - `process`: waiting for a child's end in the reactor (pidfd);
//! - `communicate`: feeding stdin while collecting stdout and stderr.

mod communicate;
mod process;

use std::io;
use std::process::{Child, ExitStatus};
use std::sync::{Arc, Mutex};

pub use communicate::Input;

use super::file::AsyncFile;
use crate::util::lock;
use process::Process;

/// Asynchronous pipes to one child process, or to a chain of them (pycos'
/// `AsyncPipe(first, last)`): writes go to the first process's stdin,
/// reads come from the last one's stdout and stderr.
///
/// Only the streams set to [`Stdio::piped`](std::process::Stdio::piped)
/// are available; the others give `NotConnected`. Chain processes as with
/// std: the second command's stdin is the first child's stdout.
///
/// # Examples
///
/// ```
/// use std::process::{Command, Stdio};
/// use pycos::io::AsyncPipe;
/// use pycos::prelude::*;
///
/// #[task]
/// fn shout(text: String) -> std::io::Result<Vec<u8>> {
///     let child = Command::new("tr").args(["a-z", "A-Z"])
///         .stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
///     let pipe = AsyncPipe::new(child)?;
///     let (out, _err) = pipe.communicate(text).await?;
///     Ok(out.unwrap_or_default())
/// }
///
/// let sched = Pycos::new();
/// assert_eq!(sched.spawn(shout("hello".into())).value()?, b"HELLO");
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AsyncPipe {
    first: Option<Process>,
    last: Process,
    stdin: Mutex<Option<Arc<AsyncFile>>>,
    stdout: Option<AsyncFile>,
    stderr: Option<AsyncFile>,
}

fn not_piped(stream: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotConnected,
        format!("{stream} is not piped (or was closed)"),
    )
}

impl AsyncPipe {
    /// Takes over `child`'s piped stdin, stdout and stderr.
    ///
    /// # Errors
    ///
    /// When a pipe cannot be switched to non-blocking mode.
    pub fn new(child: Child) -> io::Result<AsyncPipe> {
        AsyncPipe::build(None, child)
    }

    /// A chain: writes go to `first`'s stdin, reads come from `last`'s
    /// stdout and stderr (pycos' `AsyncPipe(p1, p2)`, as in `pipe_grep`).
    ///
    /// # Errors
    ///
    /// As [`new`](AsyncPipe::new).
    pub fn chain(first: Child, last: Child) -> io::Result<AsyncPipe> {
        AsyncPipe::build(Some(first), last)
    }

    fn build(first: Option<Child>, mut last: Child) -> io::Result<AsyncPipe> {
        let mut first = first;
        let writer = first.as_mut().unwrap_or(&mut last);
        let stdin = writer
            .stdin
            .take()
            .map(AsyncFile::new)
            .transpose()?
            .map(Arc::new);
        let stdout = last.stdout.take().map(AsyncFile::new).transpose()?;
        let stderr = last.stderr.take().map(AsyncFile::new).transpose()?;
        Ok(AsyncPipe {
            first: first.map(Process::new),
            last: Process::new(last),
            stdin: Mutex::new(stdin),
            stdout,
            stderr,
        })
    }

    /// The first process's stdin, while open.
    pub fn stdin(&self) -> Option<Arc<AsyncFile>> {
        lock(&self.stdin).clone()
    }

    /// The last process's stdout, if piped.
    pub fn stdout(&self) -> Option<&AsyncFile> {
        self.stdout.as_ref()
    }

    /// The last process's stderr, if piped.
    pub fn stderr(&self) -> Option<&AsyncFile> {
        self.stderr.as_ref()
    }

    /// Closes stdin: the process reads end of input once writes in
    /// progress finish (pycos' `pipe.stdin.close()`).
    pub fn close_stdin(&self) {
        lock(&self.stdin).take();
    }

    fn take_stdin(&self) -> Option<Arc<AsyncFile>> {
        lock(&self.stdin).take()
    }

    fn out(&self) -> io::Result<&AsyncFile> {
        self.stdout.as_ref().ok_or_else(|| not_piped("stdout"))
    }

    fn err(&self) -> io::Result<&AsyncFile> {
        self.stderr.as_ref().ok_or_else(|| not_piped("stderr"))
    }

    /// Writes to stdin: what the pipe takes now (see [`AsyncFile::write`]).
    ///
    /// # Errors
    ///
    /// `NotConnected` without stdin; `BrokenPipe` when the process stopped
    /// reading; `TimedOut`.
    pub async fn write(&self, data: &[u8]) -> io::Result<usize> {
        self.stdin()
            .ok_or_else(|| not_piped("stdin"))?
            .write(data)
            .await
    }

    /// Writes all of `data` to stdin (see [`AsyncFile::write_full`]).
    ///
    /// # Errors
    ///
    /// As [`write`](AsyncPipe::write).
    pub async fn write_full(&self, data: &[u8]) -> io::Result<usize> {
        self.stdin()
            .ok_or_else(|| not_piped("stdin"))?
            .write_full(data)
            .await
    }

    /// Reads stdout (see [`AsyncFile::read`]; `0` reads to the end).
    ///
    /// # Errors
    ///
    /// `NotConnected` without stdout; read failures; `TimedOut`.
    pub async fn read(&self, size: usize) -> io::Result<Vec<u8>> {
        self.out()?.read(size).await
    }

    /// Reads a line of stdout (see [`AsyncFile::readline`]).
    ///
    /// # Errors
    ///
    /// As [`read`](AsyncPipe::read).
    pub async fn readline(&self) -> io::Result<Vec<u8>> {
        self.out()?.readline().await
    }

    /// Reads stderr (see [`AsyncFile::read`]).
    ///
    /// # Errors
    ///
    /// `NotConnected` without stderr; read failures; `TimedOut`.
    pub async fn read_stderr(&self, size: usize) -> io::Result<Vec<u8>> {
        self.err()?.read(size).await
    }

    /// Reads a line of stderr (see [`AsyncFile::readline`]).
    ///
    /// # Errors
    ///
    /// As [`read_stderr`](AsyncPipe::read_stderr).
    pub async fn readline_stderr(&self) -> io::Result<Vec<u8>> {
        self.err()?.readline().await
    }

    /// The last process's exit status if it has ended (pycos' `poll()`).
    ///
    /// # Errors
    ///
    /// When the status cannot be collected.
    pub fn poll(&self) -> io::Result<Option<ExitStatus>> {
        self.last.poll()
    }

    /// Waits for every process of the chain to end; the last one's status.
    ///
    /// # Errors
    ///
    /// When a status cannot be collected.
    pub async fn wait(&self) -> io::Result<ExitStatus> {
        if let Some(first) = &self.first {
            first.wait().await?;
        }
        self.last.wait().await
    }

    /// The last process's id.
    pub fn id(&self) -> u32 {
        self.last.id()
    }

    /// Kills every process of the chain (`SIGKILL`).
    ///
    /// # Errors
    ///
    /// When a signal cannot be sent.
    pub fn kill(&self) -> io::Result<()> {
        if let Some(first) = &self.first {
            first.kill()?;
        }
        self.last.kill()
    }

    /// Closes the pipes without waiting for the processes (pycos'
    /// `close()`); dropping the `AsyncPipe` does the same.
    pub fn close(self) {}
}
