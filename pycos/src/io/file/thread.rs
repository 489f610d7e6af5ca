//! Descriptors epoll cannot watch — regular files, directories, block
//! devices, some character devices — and shared ones whose mode must not
//! change (a terminal on stdin) go through a worker thread per file, which
//! does the blocking call and wakes the task with the result.
//!
//! A read whose task gave up waiting (timeout, interrupt) still completes on
//! the worker; its bytes are kept and handed to the next read, so nothing is
//! lost. A write that was given up still happens; its count is lost.
//!
//! Each job carries an [`OutsideWork`] guard, taken on the scheduler thread
//! when the job is sent and dropped by the worker only after the reply has
//! woken the task: a virtual clock must not jump to the next timer (a
//! `.timeout(5.0)` on the read, say) while the result is still on its way.
//! On a virtual clock, time therefore stands still while a threaded call
//! blocks — a read of a terminal waits for the input before any timer
//! fires. Polled descriptors need no guard: their readiness comes from the
//! reactor, which the scheduler checks before time jumps.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use rustix::io::Errno;

use crate::io::error::timed_out;
use crate::io::wait::Deadline;
use crate::runtime::outside::OutsideWork;
use crate::time::WaitExt;
use crate::util::lock;

/// One blocking call's result, delivered across threads.
#[derive(Debug)]
struct Reply<T> {
    state: Mutex<(Option<T>, Option<Waker>)>,
}

impl<T> Reply<T> {
    fn new() -> Arc<Reply<T>> {
        Arc::new(Reply {
            state: Mutex::new((None, None)),
        })
    }

    fn complete(&self, value: T) {
        let mut state = lock(&self.state);
        state.0 = Some(value);
        let waker = state.1.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn poll_take(&self, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = lock(&self.state);
        match state.0.take() {
            Some(value) => Poll::Ready(value),
            None => {
                state.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// Waits for the value until `deadline`.
    async fn take(&self, deadline: &Deadline) -> io::Result<T> {
        let wait = std::future::poll_fn(|cx| self.poll_take(cx));
        match deadline.remaining() {
            None => Ok(wait.await),
            Some(left) => wait.timeout(left).await.ok_or_else(timed_out),
        }
    }
}

/// The result of a read, shared with the worker.
type ReadReply = Arc<Reply<io::Result<Vec<u8>>>>;

/// A call for the worker, holding back a virtual clock until answered.
struct Job {
    call: Call,
    outside: Option<OutsideWork>,
}

enum Call {
    Read(usize, ReadReply),
    Write(Vec<u8>, Arc<Reply<io::Result<usize>>>),
}

/// The worker thread of one file; it ends when the file is dropped (after
/// the call it is in, if any, returns).
#[derive(Debug)]
pub(super) struct Worker {
    fd: Arc<OwnedFd>,
    jobs: Sender<Job>,
    /// A read whose requester stopped waiting; the next read takes it over.
    abandoned: Mutex<Option<ReadReply>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.call {
            Call::Read(n, _) => write!(f, "Read({n})"),
            Call::Write(data, _) => write!(f, "Write({} bytes)", data.len()),
        }
    }
}

impl Worker {
    pub(super) fn spawn(fd: OwnedFd) -> io::Result<Worker> {
        let fd = Arc::new(fd);
        let (jobs, queue) = channel();
        let theirs = fd.clone();
        std::thread::Builder::new()
            .name("pycos-file".to_owned())
            .spawn(move || serve(&theirs, &queue))?;
        Ok(Worker {
            fd,
            jobs,
            abandoned: Mutex::new(None),
        })
    }

    pub(super) fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Reads up to `max` bytes (more if a larger abandoned read completes:
    /// the caller keeps the surplus).
    pub(super) async fn read(&self, max: usize, deadline: &Deadline) -> io::Result<Vec<u8>> {
        let previous = lock(&self.abandoned).take();
        let reply = match previous {
            Some(reply) => reply,
            None => {
                let reply = Reply::new();
                self.send(Call::Read(max, reply.clone()))?;
                reply
            }
        };
        let mut keep = Abandon {
            worker: self,
            reply: Some(reply.clone()),
        };
        let result = reply.take(deadline).await;
        if result.is_ok() {
            keep.reply = None;
        }
        result?
    }

    /// Writes a prefix of `data`; how many bytes.
    pub(super) async fn write(&self, data: &[u8], deadline: &Deadline) -> io::Result<usize> {
        let reply = Reply::new();
        self.send(Call::Write(data.to_vec(), reply.clone()))?;
        reply.take(deadline).await?
    }

    fn send(&self, call: Call) -> io::Result<()> {
        let job = Job {
            call,
            outside: OutsideWork::begin(),
        };
        self.jobs
            .send(job)
            .map_err(|_| io::Error::other("the file's worker thread has stopped"))
    }
}

/// Keeps a read that is given up for the next reader.
struct Abandon<'a> {
    worker: &'a Worker,
    reply: Option<ReadReply>,
}

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if let Some(reply) = self.reply.take() {
            *lock(&self.worker.abandoned) = Some(reply);
        }
    }
}

/// The worker's loop: one blocking call per job, in order. A job (and its
/// [`OutsideWork`] guard) is dropped only after its reply woke the task.
fn serve(fd: &OwnedFd, queue: &Receiver<Job>) {
    for job in queue {
        match job.call {
            Call::Read(max, reply) => {
                let mut buf = vec![0; max];
                reply.complete(retry(|| rustix::io::read(fd, &mut buf[..])).map(|n| {
                    buf.truncate(n);
                    buf
                }));
            }
            Call::Write(data, reply) => reply.complete(retry(|| rustix::io::write(fd, &data))),
        }
        drop(job.outside);
    }
}

fn retry<T>(mut call: impl FnMut() -> rustix::io::Result<T>) -> io::Result<T> {
    loop {
        match call() {
            Err(Errno::INTR) => {}
            other => return other.map_err(io::Error::from),
        }
    }
}
