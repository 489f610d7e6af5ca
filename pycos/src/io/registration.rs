//! [`IoSource`]: a descriptor registered with the reactor of the scheduler
//! that first waits on it.
//!
//! Registration is lazy because I/O objects are often made outside tasks (in
//! `main`, before `Task::new`) and moved into a task as an argument: the
//! scheduler that will drive them is only known at the first wait. After
//! that the object belongs to that scheduler; waiting on it from another one
//! is an error, since readiness for it arrives only at the first.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::{Arc, OnceLock, Weak};
use std::task::{Context, Poll};

use mio::Interest;
use mio::unix::SourceFd;

use super::error::{not_in_task, other_scheduler};
use crate::runtime::Shared;
use crate::runtime::context::with_core;
use crate::runtime::reactor::Direction;
use crate::runtime::scheduler::Core;

/// A descriptor plus its (lazy) reactor registration.
#[derive(Debug)]
pub(crate) struct IoSource {
    // Declared before `fd`: the registration is dropped (deregistered) while
    // the descriptor is still open.
    reg: OnceLock<Registration>,
    fd: OwnedFd,
}

/// A slot in one scheduler's reactor; deregistered on drop.
#[derive(Debug)]
struct Registration {
    key: usize,
    fd: RawFd,
    scheduler: Weak<Shared>,
}

impl Registration {
    fn belongs_to(&self, core: &Core) -> bool {
        std::ptr::eq(self.scheduler.as_ptr(), Arc::as_ptr(&core.shared))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // Off its scheduler's thread the slot cannot be touched; closing the
        // descriptor removes it from the poller, and the slot stays unused.
        with_core(|core| {
            if self.belongs_to(core) {
                let source = &mut SourceFd(&self.fd);
                if let Err(err) = core.reactor.deregister(source, self.key) {
                    tracing::debug!(%err, fd = self.fd, "deregistering a descriptor failed");
                }
            }
        });
    }
}

impl IoSource {
    /// Wraps `fd`, which must already be in non-blocking mode.
    pub(crate) fn new(fd: OwnedFd) -> IoSource {
        IoSource {
            reg: OnceLock::new(),
            fd,
        }
    }

    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Deregisters (when possible) and gives the descriptor back.
    pub(crate) fn into_fd(self) -> OwnedFd {
        let IoSource { reg, fd } = self;
        drop(reg);
        fd
    }

    /// The reactor slot on the current scheduler, registering on first use.
    fn key(&self) -> io::Result<usize> {
        with_core(|core| self.key_on(core)).unwrap_or_else(|| Err(not_in_task()))
    }

    fn key_on(&self, core: &Core) -> io::Result<usize> {
        if let Some(reg) = self.reg.get() {
            return if reg.belongs_to(core) {
                Ok(reg.key)
            } else {
                Err(other_scheduler())
            };
        }
        let fd = self.fd.as_raw_fd();
        let interest = Interest::READABLE | Interest::WRITABLE;
        let key = core.reactor.register(&mut SourceFd(&fd), interest)?;
        let reg = Registration {
            key,
            fd,
            scheduler: Arc::downgrade(&core.shared),
        };
        // Another scheduler registered it first: ours is dropped (released).
        self.reg.set(reg).map_err(|_| other_scheduler())?;
        Ok(key)
    }

    /// Ready when the descriptor is ready in `direction` (or has failed or
    /// hung up: the next operation reports which).
    pub(crate) fn poll_ready(
        &self,
        direction: Direction,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        let key = match self.key() {
            Ok(key) => key,
            Err(err) => return Poll::Ready(Err(err)),
        };
        with_core(|core| core.reactor.poll_ready(key, direction, cx).map(Ok))
            .unwrap_or_else(|| Poll::Ready(Err(not_in_task())))
    }

    /// Forgets readiness after an operation found nothing to do.
    pub(crate) fn clear_ready(&self, direction: Direction) {
        if let Some(reg) = self.reg.get() {
            with_core(|core| {
                if reg.belongs_to(core) {
                    core.reactor.clear_ready(reg.key, direction);
                }
            });
        }
    }
}

impl AsFd for IoSource {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}
