//! The shared half of a task: everything other threads and tasks may touch.
//!
//! - `mod.rs` (here): the header, its creation, id, lock and waker.
//! - `state`: what the lock guards (outcome, mailbox, suspension, the rare part).
//! - `interrupts`: pending throws, swaps and terminations, and taking them.
//! - `end`: recording the end and telling everyone who waits.
//! - `proxy`: a header that stands for a task on another node.
//! - `contact`: what the scheduler may do to a header (operations, not fields).
//!
//! A task is split in two. Its body future lives in its scheduler's slab and
//! is touched only by the scheduler thread. Everything else — mailbox, the
//! waiting slots, pending interrupts, monitors, the final outcome — lives
//! here, behind one lock, so that `send`, `resume`, `throw`, `value` and the
//! rest work from any thread through one mechanism. The lock is uncontended
//! in the common case (one scheduler thread), where it costs one atomic
//! operation (see [`StateLock`]).
//!
//! Each kind of wait has its own waker slot (`receiver`, `suspension`,
//! `finish_waiters`), which is how a wake-up only ends the wait it belongs
//! to: a `send` wakes only a receiver, a `resume` only a suspended task.
//!
//! Size matters here: a million sleeping tasks are a million headers. What
//! most tasks never use — interrupts, monitors, registered names, `finish`
//! waiters, the flag that threads blocked in `value()` wait on — lives in a
//! [`Rare`] box allocated on first use; the mailbox lives in an [`Inbox`]
//! box created by the first message or `receive`; a suspension and its
//! update share one slot; errors of the outcome are boxed. With [`Msg`] at
//! 16 bytes that keeps the header at 120 bytes, 136 with the `Arc` counts:
//! glibc's 144-byte allocation class (pinned by the `sizes` tests in
//! `lib.rs`). The end is signalled to blocked threads (a futex wake) only
//! when one waits in `value()`, so a task's end normally makes no system
//! call.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, Ordering};
use std::task::Wake;

use super::lock::{StateGuard, StateLock};
use super::pause::Pause;
use crate::runtime::{RunFlag, Shared};
use crate::{TaskError, TaskId};

/// Slot value of a task not placed in its scheduler's slab (yet, or any more).
pub(crate) const NO_SLOT: u32 = u32::MAX;

/// Slot value of a proxy of a task on another node: it never has a body.
/// Set at creation and never changed, so one relaxed load tells a proxy
/// (see `crate::remote`).
pub(crate) const REMOTE_SLOT: u32 = u32::MAX - 1;

pub(crate) struct Header {
    /// The serial of the task's [`TaskId`](crate::TaskId); the incarnation
    /// is the process's, so it is not stored per task.
    pub(crate) serial: u64,
    pub(crate) sched: Arc<Shared>,
    /// Whether the task is in its scheduler's run queue (see `RunFlag`).
    run: RunFlag,
    /// Fast check for pending interrupts.
    interrupted: AtomicBool,
    /// Key of the body future in the scheduler's slab. Only the scheduler
    /// thread reads or writes it (atomic because the header is shared).
    slot: AtomicU32,
    /// Where the body last paused, written during its poll by the points it
    /// pauses at; scheduler thread only. It fills padding beside the flags
    /// rather than growing the scheduler's slab entry.
    paused: Paused,
    state: StateLock<State>,
}

/// Where a task's body last paused ([`Pause`]), in one byte beside the
/// flags.
#[derive(Debug)]
pub(crate) struct Paused(AtomicU8);

impl Paused {
    fn new(pause: Pause) -> Paused {
        Paused(AtomicU8::new(pause.bits()))
    }

    pub(crate) fn get(&self) -> Pause {
        Pause::from_bits(self.0.load(Ordering::Relaxed))
    }

    pub(crate) fn set(&self, pause: Pause) {
        self.0.store(pause.bits(), Ordering::Relaxed);
    }
}

mod contact;
mod end;
mod interrupts;
mod proxy;
mod state;

pub(crate) use interrupts::{Action, Caught, Interrupts};
pub(crate) use proxy::Proxied;
pub(crate) use state::{FinishWaiters, Inbox, Outcome, Rare, State, Suspension};

impl std::fmt::Debug for Header {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Header")
            .field("id", &self.id())
            .finish_non_exhaustive()
    }
}

impl Header {
    pub(crate) fn new(sched: Arc<Shared>, name: &'static str) -> Arc<Header> {
        Arc::new(Header {
            serial: crate::id::next_serial(),
            sched,
            run: RunFlag::default(),
            interrupted: AtomicBool::new(false),
            slot: AtomicU32::new(NO_SLOT),
            paused: Paused::new(Pause::UNSTARTED),
            state: StateLock::new(State {
                name,
                ..State::default()
            }),
        })
    }

    /// A handle's header for the task of this process with `serial` that
    /// has ended and is forgotten: a reference to it that comes back from
    /// a peer decodes to this, so its message is not lost, and sending to
    /// it fails as for any ended task.
    pub(crate) fn forgotten(sched: Arc<Shared>, serial: u64, name: &'static str) -> Arc<Header> {
        let outcome = Err(TaskError::Unreachable(format!(
            "{name}/{} had ended before its handle came back: its outcome is no longer known",
            TaskId::local(serial)
        )));
        Arc::new(Header {
            serial,
            sched,
            run: RunFlag::default(),
            interrupted: AtomicBool::new(false),
            slot: AtomicU32::new(NO_SLOT),
            paused: Paused::new(Pause::UNSTARTED),
            state: StateLock::new(State {
                name,
                outcome: Some(Outcome::new(outcome)),
                ..State::default()
            }),
        })
    }

    /// The task's id.
    pub(crate) fn id(&self) -> TaskId {
        if self.is_remote()
            && let Some(proxied) = self.lock().rare_ref().and_then(|r| r.remote.as_ref())
        {
            return proxied.target.id;
        }
        TaskId::local(self.serial)
    }

    /// Locks the shared state (see [`StateLock`]).
    pub(crate) fn lock(&self) -> StateGuard<'_, State> {
        self.state.lock()
    }

    pub(crate) fn is_alive(&self) -> bool {
        self.lock().outcome.is_none()
    }
}

impl Wake for Header {
    fn wake(self: Arc<Self>) {
        if self.run.claim() {
            crate::runtime::schedule_woken(self);
        }
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.run.claim() {
            crate::runtime::schedule_woken(self.clone());
        }
    }
}

/// Wakers borrowed from a task's reference while the scheduler polls it
/// (`futures_task::waker_ref`); clones of them are ordinary owning wakers.
impl futures_task::ArcWake for Header {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        <Header as Wake>::wake_by_ref(arc_self);
    }
}
