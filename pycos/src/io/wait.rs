//! Waiting for readiness, with a deadline, in one of two modes.
//!
//! Every operation is written once, as a loop of non-blocking *steps*
//! ([`Step`]): a step either finishes or says which readiness it needs. In
//! [`Mode::Reactor`] the wait is a future parked in the scheduler's reactor
//! (the normal, asynchronous case). In [`Mode::Blocking`] the wait blocks
//! the calling thread in `poll(2)` and never returns `Pending`, so the same
//! future is run to completion by [`block_on`]: that is pycos' blocking mode
//! for use outside tasks, without a second implementation of each operation.

use std::future::{Future, poll_fn};
use std::io;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};

use super::error::timed_out;
use super::registration::IoSource;
use crate::runtime::context::with_core;
use crate::runtime::coop;
use crate::runtime::reactor::Direction;
use crate::time::WaitExt;
use crate::time::as_nanos;

/// How an operation waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// In the current scheduler's reactor (inside a task).
    Reactor,
    /// By blocking the calling thread.
    Blocking,
}

/// When an operation gives up waiting.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Deadline {
    Never,
    /// Nanoseconds on the scheduler's clock, which may be virtual.
    Clock(u64),
    Real(Instant),
}

impl Deadline {
    /// `limit` from now (`None`: never).
    pub(crate) fn after(limit: Option<Duration>, mode: Mode) -> Deadline {
        let Some(limit) = limit else {
            return Deadline::Never;
        };
        let clock = match mode {
            Mode::Reactor => with_core(|core| core.clock.now()),
            Mode::Blocking => None,
        };
        match clock {
            Some(now) => Deadline::Clock(now.saturating_add(as_nanos(limit))),
            None => Deadline::Real(Instant::now().checked_add(limit).unwrap_or_else(far_future)),
        }
    }

    /// Time left (`None`: unlimited); zero once passed, which still lets a
    /// wait check readiness once.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        match *self {
            Deadline::Never => None,
            Deadline::Clock(at) => {
                let now = with_core(|core| core.clock.now()).unwrap_or(at);
                Some(Duration::from_nanos(at.saturating_sub(now)))
            }
            Deadline::Real(at) => Some(at.saturating_duration_since(Instant::now())),
        }
    }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365 * 30)
}

/// Why a non-blocking step did not finish.
#[derive(Debug)]
pub(crate) enum Stall {
    /// It needs the descriptor to become ready this way first.
    Wait(Direction),
    Failed(io::Error),
}

impl Stall {
    /// Classifies an error of an operation that wanted `direction`.
    pub(crate) fn from_io(err: io::Error, direction: Direction) -> Stall {
        if err.kind() == io::ErrorKind::WouldBlock {
            Stall::Wait(direction)
        } else {
            Stall::Failed(err)
        }
    }
}

impl From<io::Error> for Stall {
    fn from(err: io::Error) -> Stall {
        Stall::Failed(err)
    }
}

/// The outcome of one non-blocking step.
pub(crate) type Step<T> = Result<T, Stall>;

/// Charges one unit of the running task's cooperative budget (see
/// `runtime::coop`): when the budget is spent, the task goes to the back of
/// the run queue once before going on. Every asynchronous operation calls
/// this before it touches data (through [`enter`](super::turn::enter)), so
/// a task whose reads, writes or accepts all complete at once — data
/// already buffered, a peer flooding it, an accept failing at once — still
/// gives the other tasks of its scheduler a turn after a bounded number of
/// operations. Off scheduler threads every charge succeeds.
pub(crate) async fn charge() {
    poll_fn(|cx| coop::proceed(cx)).await;
}

/// Repeats `step` until it finishes, waiting whenever it stalls.
pub(crate) async fn drive<T>(
    src: &IoSource,
    mode: Mode,
    deadline: &Deadline,
    mut step: impl FnMut() -> Step<T>,
) -> io::Result<T> {
    loop {
        match step() {
            Ok(value) => return Ok(value),
            Err(Stall::Failed(err)) => return Err(err),
            Err(Stall::Wait(direction)) => wait(src, direction, deadline, mode).await?,
        }
    }
}

/// Waits until `src` is ready in `direction`; `TimedOut` once the deadline
/// passes. Called right after an operation found nothing to do.
pub(crate) async fn wait(
    src: &IoSource,
    direction: Direction,
    deadline: &Deadline,
    mode: Mode,
) -> io::Result<()> {
    match mode {
        Mode::Blocking => wait_blocking(src, direction, deadline),
        Mode::Reactor => {
            src.clear_ready(direction);
            let ready = Ready { src, direction };
            match deadline.remaining() {
                None => ready.await,
                Some(left) => ready
                    .timeout(left)
                    .await
                    .unwrap_or_else(|| Err(timed_out())),
            }
        }
    }
}

fn wait_blocking(src: &IoSource, direction: Direction, deadline: &Deadline) -> io::Result<()> {
    let flags = match direction {
        Direction::Read => PollFlags::IN,
        Direction::Write => PollFlags::OUT,
    };
    loop {
        let left = deadline.remaining();
        let timeout = left
            .map(Timespec::try_from)
            .transpose()
            .map_err(io::Error::other)?;
        let mut fds = [PollFd::from_borrowed_fd(src.fd(), flags)];
        match rustix::event::poll(&mut fds, timeout.as_ref()) {
            Ok(0) if left.is_some() => return Err(timed_out()),
            Ok(_) => return Ok(()),
            Err(rustix::io::Errno::INTR) => continue,
            Err(err) => return Err(err.into()),
        }
    }
}

/// A wait for readiness in the reactor.
struct Ready<'a> {
    src: &'a IoSource,
    direction: Direction,
}

impl Future for Ready<'_> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.src.poll_ready(self.direction, cx)
    }
}

/// Runs an operation made with [`Mode::Blocking`] on this thread. Such an
/// operation blocks inside its waits and so finishes in one poll.
pub(crate) fn block_on<T>(op: impl Future<Output = io::Result<T>>) -> io::Result<T> {
    let op = pin!(op);
    match op.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result,
        Poll::Pending => Err(io::Error::other("a blocking operation waited for a task")),
    }
}
