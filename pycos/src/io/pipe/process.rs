//! Waiting for a child process without blocking the scheduler: a pidfd
//! (Linux 5.3+) becomes readable when the process ends, so the wait is one
//! more readiness in the reactor. Where pidfds are unavailable, the exit is
//! polled every few milliseconds instead.

use std::io;
use std::process::{Child, ExitStatus};
use std::sync::Mutex;
use std::time::Duration;

use rustix::process::{Pid, PidfdFlags, pidfd_open};

use crate::io::error::check_in_task;
use crate::io::registration::IoSource;
use crate::io::wait::{Deadline, Mode, charge, wait};
use crate::runtime::reactor::Direction;
use crate::time::WaitExt;
use crate::util::lock;

/// How often an exit is polled without a pidfd.
const POLL_EVERY: Duration = Duration::from_millis(10);

/// A child process and the descriptor that reports its end.
#[derive(Debug)]
pub(super) struct Process {
    child: Mutex<Child>,
    exited: Option<IoSource>,
}

impl Process {
    pub(super) fn new(child: Child) -> Process {
        let exited = pidfd_open(Pid::from_child(&child), PidfdFlags::NONBLOCK)
            .ok()
            .map(IoSource::new);
        Process {
            child: Mutex::new(child),
            exited,
        }
    }

    pub(super) fn id(&self) -> u32 {
        lock(&self.child).id()
    }

    /// The exit status if the process has ended (pycos' `poll()`).
    pub(super) fn poll(&self) -> io::Result<Option<ExitStatus>> {
        lock(&self.child).try_wait()
    }

    pub(super) fn kill(&self) -> io::Result<()> {
        lock(&self.child).kill()
    }

    /// Waits for the process to end; its exit status.
    pub(super) async fn wait(&self) -> io::Result<ExitStatus> {
        check_in_task()?;
        // A loop waiting on an ended process completes at once every time.
        charge().await;
        loop {
            if let Some(status) = self.poll()? {
                return Ok(status);
            }
            match &self.exited {
                Some(pidfd) => {
                    wait(pidfd, Direction::Read, &Deadline::Never, Mode::Reactor).await?
                }
                None => {
                    let _ = std::future::pending::<()>().timeout(POLL_EVERY).await;
                }
            }
        }
    }
}
