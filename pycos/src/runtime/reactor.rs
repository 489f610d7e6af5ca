//! The reactor: the one seam between the runtime and the operating system's
//! readiness API (mio `Poll`: epoll on Linux, kqueue on BSD/macOS).
//!
//! It provides:
//! - registration of mio event sources, each with a slot holding its
//!   read/write readiness and the wakers waiting for them;
//! - `turn`: one call to the poller (bounded by the next timer), dispatching
//!   readiness to the waiting wakers;
//! - the waker token through which other threads unpark the scheduler.
//!
//! Readiness is edge-triggered: an I/O type reads or writes until the system
//! says `WouldBlock`, then [`clear_ready`](Reactor::clear_ready)s and waits in
//! [`poll_ready`](Reactor::poll_ready) for the next edge.

use std::cell::RefCell;
use std::io;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use mio::event::Source;
use mio::{Events, Interest, Token};
use slab::Slab;

use crate::util::set_waker;

/// The token of the cross-thread unpark waker.
pub(crate) const WAKER_TOKEN: Token = Token(usize::MAX);

/// Which readiness an I/O operation waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Read,
    Write,
}

#[derive(Debug, Default)]
struct Readiness {
    ready: bool,
    waker: Option<Waker>,
}

#[derive(Debug, Default)]
struct IoSlot {
    read: Readiness,
    write: Readiness,
}

impl IoSlot {
    fn side(&mut self, direction: Direction) -> &mut Readiness {
        match direction {
            Direction::Read => &mut self.read,
            Direction::Write => &mut self.write,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Reactor {
    poll: RefCell<mio::Poll>,
    events: RefCell<Events>,
    slots: RefCell<Slab<IoSlot>>,
}

impl Reactor {
    pub(crate) fn new(poll: mio::Poll) -> Reactor {
        Reactor {
            poll: RefCell::new(poll),
            events: RefCell::new(Events::with_capacity(1024)),
            slots: RefCell::new(Slab::new()),
        }
    }

    /// Registers `source` for `interest`; gives the slot key.
    pub(crate) fn register(
        &self,
        source: &mut impl Source,
        interest: Interest,
    ) -> io::Result<usize> {
        let key = self.slots.borrow_mut().insert(IoSlot::default());
        let poll = self.poll.borrow();
        let mut registered = poll.registry().register(source, Token(key), interest);
        if matches!(&registered, Err(err) if err.kind() == io::ErrorKind::AlreadyExists) {
            // The descriptor is still in the poller under a slot its previous
            // owner could not release (it was dropped off this thread, or
            // handed its descriptor to a new owner): take it over.
            registered = poll.registry().reregister(source, Token(key), interest);
        }
        drop(poll);
        if let Err(err) = registered {
            self.slots.borrow_mut().remove(key);
            return Err(err);
        }
        Ok(key)
    }

    /// Deregisters `source` and frees its slot; waiting wakers are woken so
    /// that their futures observe the closed source.
    pub(crate) fn deregister(&self, source: &mut impl Source, key: usize) -> io::Result<()> {
        let result = self.poll.borrow().registry().deregister(source);
        if let Some(mut slot) = self.slots.borrow_mut().try_remove(key) {
            for side in [&mut slot.read, &mut slot.write] {
                if let Some(waker) = side.waker.take() {
                    waker.wake();
                }
            }
        }
        result
    }

    /// Ready when the source is ready in `direction`; otherwise remembers the
    /// waker for the next readiness edge.
    pub(crate) fn poll_ready(
        &self,
        key: usize,
        direction: Direction,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        let mut slots = self.slots.borrow_mut();
        let Some(slot) = slots.get_mut(key) else {
            return Poll::Ready(());
        };
        let side = slot.side(direction);
        if side.ready {
            return Poll::Ready(());
        }
        set_waker(&mut side.waker, cx.waker());
        Poll::Pending
    }

    /// Forgets readiness after an operation returned `WouldBlock`.
    pub(crate) fn clear_ready(&self, key: usize, direction: Direction) {
        if let Some(slot) = self.slots.borrow_mut().get_mut(key) {
            slot.side(direction).ready = false;
        }
    }

    /// Waits for events up to `timeout` (`None`: until one comes) and wakes
    /// the tasks waiting for them.
    pub(crate) fn turn(&self, timeout: Option<Duration>) {
        let mut events = self.events.borrow_mut();
        if let Err(err) = self.poll.borrow_mut().poll(&mut events, timeout) {
            if err.kind() != io::ErrorKind::Interrupted {
                tracing::error!(%err, "polling for I/O failed");
            }
            return;
        }
        let mut wake = Vec::new();
        {
            let mut slots = self.slots.borrow_mut();
            for event in events.iter() {
                let Some(slot) = slots.get_mut(event.token().0) else {
                    continue;
                };
                let failed = event.is_error();
                if event.is_readable() || event.is_read_closed() || failed {
                    slot.read.ready = true;
                    wake.extend(slot.read.waker.take());
                }
                if event.is_writable() || event.is_write_closed() || failed {
                    slot.write.ready = true;
                    wake.extend(slot.write.waker.take());
                }
            }
        }
        for waker in wake {
            waker.wake();
        }
    }
}
