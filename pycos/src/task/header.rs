//! The shared half of a task: everything other threads and tasks may touch.
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

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Wake, Waker};

use super::lock::{StateGuard, StateLock};
use super::pause::{self, Decision, Outstanding, Pause, Pending};
use super::spec::ErasedSpec;
use super::{MonitorStatus, Task, TaskError, ThrownError};
use crate::remote::{Hook, RemoteTask};
use crate::runtime::{RunFlag, Shared, context};
use crate::util::{lock, unpoison};
use crate::{Msg, TaskId};

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
    pub(crate) run: RunFlag,
    /// Fast check for pending interrupts.
    pub(crate) interrupted: AtomicBool,
    /// Key of the body future in the scheduler's slab. Only the scheduler
    /// thread reads or writes it (atomic because the header is shared).
    pub(crate) slot: AtomicU32,
    /// Where the body last paused; scheduler thread only. It fills padding
    /// beside the flags rather than growing the scheduler's slab entry.
    pub(crate) paused: Paused,
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

#[derive(Default)]
pub(crate) struct State {
    /// A literal or interned name (see `crate::id`), so that `name()` can
    /// lend it past the lock.
    pub(crate) name: &'static str,
    pub(crate) outcome: Option<Outcome>,
    /// Created by the first message or `receive`: tasks that never receive
    /// (most spawned workers, sleepers) save 40 bytes.
    pub(crate) inbox: Option<Box<Inbox>>,
    pub(crate) suspension: Suspension,
    pub(crate) hot_swappable: bool,
    pub(crate) daemon: bool,
    rare: Option<Box<Rare>>,
}

/// How a task ended, as stored: errors boxed, so that the slot takes 24
/// bytes instead of 32 in every task's state (which, with the other
/// trims, brings the header allocation into a smaller size class).
pub(crate) struct Outcome(Result<Msg, Box<TaskError>>);

impl Outcome {
    fn new(outcome: Result<Msg, TaskError>) -> Outcome {
        Outcome(outcome.map_err(Box::new))
    }

    /// A copy of the outcome (a message clone is a reference count).
    pub(crate) fn get(&self) -> Result<Msg, TaskError> {
        self.0.clone().map_err(|err| *err)
    }
}

/// A task's mailbox and the waker of its `receive`.
#[derive(Default)]
pub(crate) struct Inbox {
    pub(crate) mailbox: VecDeque<Msg>,
    pub(crate) receiver: Option<Waker>,
}

impl Inbox {
    /// Capacity a drained mailbox may keep (a few pages of `Msg`s).
    const KEEP: usize = 1024;

    /// Takes the message at `at` (the oldest at 0). A mailbox that has
    /// drained to a quarter of its capacity gives half of it back, so a
    /// burst does not keep its peak memory for the task's life; halving
    /// moves at most a quarter of the capacity, which the pops since the
    /// last shrink paid for.
    pub(crate) fn take(&mut self, at: usize) -> Option<Msg> {
        let msg = if at == 0 {
            self.mailbox.pop_front()
        } else {
            self.mailbox.remove(at)
        }?;
        let capacity = self.mailbox.capacity();
        if capacity > Self::KEEP && self.mailbox.len() < capacity / 4 {
            self.mailbox.shrink_to(capacity / 2);
        }
        Some(msg)
    }
}

/// A task's `suspend` wait: the waker of the suspended task, then the
/// update that a `resume` hands it.
#[derive(Default)]
pub(crate) enum Suspension {
    #[default]
    Idle,
    Waiting(Waker),
    Resumed(Msg),
}

/// The parts of a task's state that most tasks never use.
#[derive(Default)]
pub(crate) struct Rare {
    pub(crate) interrupts: Interrupts,
    pub(crate) monitors: Vec<Task>,
    pub(crate) finish_waiters: FinishWaiters,
    pub(crate) names: Vec<String>,
    /// Set and signalled when the task ends; created by the first thread
    /// that blocks in `value()`.
    pub(crate) done: Option<Arc<Done>>,
    /// What a proxy stands for (see `crate::remote`); kept past the end.
    pub(crate) remote: Option<Box<Proxied>>,
    /// Whether peers may reach the task by id (`remote::export`).
    pub(crate) exported: bool,
}

/// The remote task a proxy header stands for.
pub(crate) struct Proxied {
    pub(crate) target: RemoteTask,
    /// Whether the hook was asked to report the end.
    pub(crate) watched: bool,
}

/// What threads blocked in `value()` wait on: a flag set once, when the
/// task ends (they cannot sleep on the spinning state lock itself).
#[derive(Debug, Default)]
pub(crate) struct Done {
    ended: Mutex<bool>,
    signal: Condvar,
}

impl Done {
    fn set(&self) {
        *lock(&self.ended) = true;
        self.signal.notify_all();
    }

    /// Waits until set; `false` if `limit` passed first.
    pub(crate) fn wait(&self, limit: Option<std::time::Duration>) -> bool {
        let ended = lock(&self.ended);
        let not_yet = |ended: &mut bool| !*ended;
        match limit {
            None => {
                drop(self.signal.wait_while(ended, not_yet));
                true
            }
            Some(limit) => {
                let (ended, _) = unpoison(self.signal.wait_timeout_while(ended, limit, not_yet));
                *ended
            }
        }
    }
}

/// Tasks waiting in `finish` for this one. Usually there is one (a task
/// joining the handles it spawned): it is kept without allocating, where a
/// `Vec` would cost one allocation per awaited task.
#[derive(Default)]
pub(crate) enum FinishWaiters {
    #[default]
    None,
    One(Waker),
    Many(Vec<Waker>),
}

impl FinishWaiters {
    /// Adds `waker` unless an equivalent one waits already.
    pub(crate) fn add(&mut self, waker: &Waker) {
        match self {
            FinishWaiters::None => *self = FinishWaiters::One(waker.clone()),
            FinishWaiters::One(first) if first.will_wake(waker) => {}
            FinishWaiters::One(_) => {
                if let FinishWaiters::One(first) = std::mem::take(self) {
                    *self = FinishWaiters::Many(vec![first, waker.clone()]);
                }
            }
            FinishWaiters::Many(all) => {
                if !all.iter().any(|w| w.will_wake(waker)) {
                    all.push(waker.clone());
                }
            }
        }
    }

    fn wake_all(self) {
        match self {
            FinishWaiters::None => {}
            FinishWaiters::One(waker) => waker.wake(),
            FinishWaiters::Many(all) => all.into_iter().for_each(Waker::wake),
        }
    }
}

/// Interrupts waiting for the task's next interruption point.
#[derive(Default)]
pub(crate) struct Interrupts {
    pub(crate) terminate: bool,
    /// Thrown errors in order; `true` marks a rethrown one (no longer catchable).
    pub(crate) thrown: VecDeque<(ThrownError, bool)>,
    /// A replacement body; `true` marks an accepted swap (no longer catchable).
    pub(crate) swap: Option<(Box<dyn ErasedSpec>, bool)>,
}

impl Interrupts {
    fn is_empty(&self) -> bool {
        !self.terminate && self.thrown.is_empty() && self.swap.is_none()
    }

    /// What the interrupt rules ([`pause`]) need to know of them.
    fn outstanding(&self, hot_swappable: bool) -> Outstanding {
        let pending = |committed: bool| {
            if committed {
                Pending::Committed
            } else {
                Pending::Catchable
            }
        };
        Outstanding {
            terminate: self.terminate,
            thrown: self.thrown.front().map(|(_, rethrown)| pending(*rethrown)),
            swap: self.swap.as_ref().map(|(_, accepted)| pending(*accepted)),
            hot_swappable,
        }
    }

    /// Takes the interrupt `decision` names.
    fn take(&mut self, decision: Decision) -> Option<Action> {
        match decision {
            Decision::Terminate => {
                self.terminate = false;
                Some(Action::Terminate)
            }
            Decision::Throw => self.thrown.pop_front().map(|(err, _)| Action::Throw(err)),
            Decision::Swap => self.swap.take().map(|(spec, _)| Action::Swap(spec)),
            Decision::Continue => None,
        }
    }
}

/// What the scheduler must do instead of polling the task.
pub(crate) enum Action {
    Terminate,
    Throw(ThrownError),
    Swap(Box<dyn ErasedSpec>),
}

/// An interrupt taken by a `.catch()` wait.
pub(crate) enum Caught {
    Thrown(ThrownError),
    Swap(Box<dyn ErasedSpec>),
}

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

    /// A proxy of the task `target` on another node, served by `sched`'s
    /// hook. It is a daemon: it keeps no `join` waiting.
    pub(crate) fn new_remote(sched: Arc<Shared>, target: RemoteTask) -> Arc<Header> {
        let name = crate::id::intern(&target.name);
        let rare = Rare {
            remote: Some(Box::new(Proxied {
                target,
                watched: false,
            })),
            ..Rare::default()
        };
        Arc::new(Header {
            serial: 0,
            sched,
            run: RunFlag::default(),
            interrupted: AtomicBool::new(false),
            slot: AtomicU32::new(REMOTE_SLOT),
            paused: Paused::new(Pause::NESTED),
            state: StateLock::new(State {
                name,
                daemon: true,
                rare: Some(Box::new(rare)),
                ..State::default()
            }),
        })
    }

    /// Whether this is a proxy of a task on another node.
    #[inline]
    pub(crate) fn is_remote(&self) -> bool {
        self.slot.load(Ordering::Relaxed) == REMOTE_SLOT
    }

    /// The hook and the reference of a proxy; `None` for a local task.
    pub(crate) fn remote(&self) -> Option<(Arc<dyn Hook>, RemoteTask)> {
        if !self.is_remote() {
            return None;
        }
        let target = self.lock().rare_ref()?.remote.as_ref()?.target.clone();
        // A proxy is only made for a scheduler with a hook (`from_remote`).
        let hook = self.sched.hook.get()?.clone();
        Some((hook, target))
    }

    /// Asks the hook, once, to report the end of the remote task behind
    /// this proxy; nothing for a local task.
    pub(crate) fn watch_if_remote(self: &Arc<Self>) {
        if !self.is_remote() {
            return;
        }
        let first = {
            let mut state = self.lock();
            state.outcome.is_none()
                && state
                    .rare()
                    .remote
                    .as_mut()
                    .is_some_and(|proxied| !std::mem::replace(&mut proxied.watched, true))
        };
        if let (true, Some(hook)) = (first, self.sched.hook.get()) {
            hook.watch(&Task::from_header(self.clone()));
        }
    }

    /// The task's id.
    pub(crate) fn id(&self) -> TaskId {
        if self.is_remote() {
            if let Some(proxied) = self.lock().rare_ref().and_then(|r| r.remote.as_ref()) {
                return proxied.target.id;
            }
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

    /// Adds an interrupt and wakes the task so the scheduler acts on it.
    pub(crate) fn interrupt(self: &Arc<Self>, add: impl FnOnce(&mut Interrupts)) -> bool {
        {
            let mut state = self.lock();
            if state.outcome.is_some() {
                return false;
            }
            add(&mut state.rare().interrupts);
        }
        self.interrupted.store(true, Ordering::Release);
        self.wake_by_ref();
        true
    }

    /// The interrupt to apply now, given where the task last paused.
    pub(crate) fn take_action(&self, pause: Pause) -> Option<Action> {
        let mut state = self.lock();
        let action = state.take_action(pause);
        self.interrupted
            .store(state.has_interrupts(), Ordering::Release);
        action
    }

    /// The first interrupt a `.catch()` wait may take.
    pub(crate) fn take_catchable(&self) -> Option<Caught> {
        if !self.interrupted.load(Ordering::Acquire) {
            return None;
        }
        let mut state = self.lock();
        let caught = state.take_catchable();
        self.interrupted
            .store(state.has_interrupts(), Ordering::Release);
        caught
    }

    /// Whether an interrupt is pending that must take effect at an
    /// interruption point at `pause`, even if its wait could complete at
    /// once.
    pub(crate) fn must_stop_at(&self, pause: Pause) -> bool {
        self.interrupted.load(Ordering::Acquire)
            && self
                .lock()
                .outstanding()
                .is_some_and(|outstanding| pause::must_stop_at(pause, outstanding))
    }

    /// Records the outcome and returns who must hear of it. Called once, on
    /// the scheduler thread, after the body future has been dropped.
    /// Drops the messages of a task whose body has ended, before its end
    /// is published: whoever sees the end (`value`, `finish`, a monitor)
    /// also sees them gone. Destructors are user code: run unlocked and
    /// contained. (A message sent in between goes with `set_outcome`.)
    pub(crate) fn drop_unread(&self) {
        let unread = self.lock().inbox.take();
        if unread.is_some() {
            crate::panic::contain("dropping an ended task's messages", || drop(unread));
        }
    }

    pub(crate) fn set_outcome(&self, outcome: Result<Msg, TaskError>) -> Ended {
        let mut state = self.lock();
        state.outcome = Some(Outcome::new(outcome.clone()));
        // An ended task receives nothing more: its unread messages and a
        // pending update go now, not with its last handle (dropped outside
        // the lock: their destructors are user code).
        let unread = state.inbox.take();
        let update = std::mem::take(&mut state.suspension);
        self.interrupted.store(false, Ordering::Release);
        let mut rare = state.rare.take().map(|rare| *rare).unwrap_or_default();
        if let Some(remote) = rare.remote.take() {
            // A proxy keeps saying what it stands for after the end.
            state.rare().remote = Some(remote);
        }
        if let Some(done) = &rare.done {
            // Threads already waiting hold their own reference to it; later
            // ones find the outcome without waiting.
            done.set();
        }
        let observed = rare.done.is_some()
            || !rare.monitors.is_empty()
            || !matches!(rare.finish_waiters, FinishWaiters::None);
        Ended {
            outcome,
            daemon: state.daemon,
            observed,
            monitors: rare.monitors,
            waiters: rare.finish_waiters,
            names: rare.names,
            exported: rare.exported,
            leftovers: Leftovers {
                unread,
                update,
                interrupts: rare.interrupts,
            },
        }
    }
}

impl State {
    /// The mailbox, created on first use.
    pub(crate) fn inbox(&mut self) -> &mut Inbox {
        self.inbox.get_or_insert_with(Box::default)
    }

    /// The rarely used parts, created on first use.
    pub(crate) fn rare(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// The rarely used parts, if any was ever used.
    pub(crate) fn rare_ref(&self) -> Option<&Rare> {
        self.rare.as_deref()
    }

    fn has_interrupts(&self) -> bool {
        self.rare_ref()
            .is_some_and(|rare| !rare.interrupts.is_empty())
    }

    fn outstanding(&self) -> Option<Outstanding> {
        let rare = self.rare_ref()?;
        Some(rare.interrupts.outstanding(self.hot_swappable))
    }

    fn take_action(&mut self, pause: Pause) -> Option<Action> {
        let decision = pause::decide(pause, self.outstanding()?);
        self.rare().interrupts.take(decision)
    }

    fn take_catchable(&mut self) -> Option<Caught> {
        let decision = pause::catchable(self.outstanding()?);
        match self.rare().interrupts.take(decision)? {
            Action::Throw(err) => Some(Caught::Thrown(err)),
            Action::Swap(spec) => Some(Caught::Swap(spec)),
            Action::Terminate => None,
        }
    }
}

/// What the end of a task sets in motion (outside the lock).
pub(crate) struct Ended {
    pub(crate) outcome: Result<Msg, TaskError>,
    pub(crate) daemon: bool,
    /// Whether anyone waits for or monitors the task (else a failure is
    /// logged, as pycos logs uncaught exceptions).
    observed: bool,
    pub(crate) monitors: Vec<Task>,
    pub(crate) waiters: FinishWaiters,
    pub(crate) names: Vec<String>,
    /// Whether the task is in its scheduler's export table.
    pub(crate) exported: bool,
    leftovers: Leftovers,
}

/// What an ended task held for a future it no longer has: unread
/// messages, an update nobody took, interrupts that never applied.
struct Leftovers {
    #[allow(dead_code, reason = "held only to be dropped outside the lock")]
    unread: Option<Box<Inbox>>,
    #[allow(dead_code, reason = "held only to be dropped outside the lock")]
    update: Suspension,
    #[allow(dead_code, reason = "held only to be dropped outside the lock")]
    interrupts: Interrupts,
}

impl Ended {
    pub(crate) fn notify(self, header: &Arc<Header>) {
        let Ended {
            outcome,
            observed,
            monitors,
            waiters,
            leftovers,
            ..
        } = self;
        // User destructors (of messages, of a swap's arguments) may panic;
        // that must not keep the waiters below from hearing of the end.
        crate::panic::contain("dropping an ended task's messages", || {
            drop(leftovers);
        });
        waiters.wake_all();
        let task = &Task::from_header(header.clone());
        log_failure(task, &outcome, observed);
        for monitor in monitors {
            let status = MonitorStatus {
                task: task.clone(),
                result: outcome.clone(),
            };
            if monitor.send(status).is_err() {
                tracing::debug!(%monitor, %task, "monitor ended before its task; status dropped");
            }
        }
    }
}

/// Logs how a task failed: as a warning when nobody waits for it or
/// monitors it (the failure would go unseen otherwise), for debugging when
/// someone does. A termination is deliberate and not logged.
fn log_failure(task: &Task, outcome: &Result<Msg, TaskError>, observed: bool) {
    let Err(err) = outcome else {
        return;
    };
    if err.is_terminated() {
        return;
    }
    if observed {
        tracing::debug!(%task, error = %err, "task failed");
    } else {
        tracing::warn!(%task, error = %err, "task failed and nobody waits for it or monitors it");
    }
}

impl Wake for Header {
    fn wake(self: Arc<Self>) {
        if self.run.claim() {
            schedule(self);
        }
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.run.claim() {
            schedule(self.clone());
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

/// Queues a claimed task. A wake-up on its own scheduler thread (the common
/// case) moves the reference straight into the run queue; only a foreign
/// one pays for a reference to the scheduler.
fn schedule(header: Arc<Header>) {
    // One look at the thread-local context, not two.
    let mut foreign = Some(header);
    context::with_core(|core| {
        if foreign
            .as_ref()
            .is_some_and(|h| Arc::ptr_eq(&core.shared, &h.sched))
        {
            core.push(foreign.take().expect("checked just above"));
        }
    });
    if let Some(header) = foreign {
        let sched = header.sched.clone();
        Shared::schedule(&sched, header);
    }
}

#[cfg(test)]
mod tests {
    use super::Inbox;
    use crate::Msg;

    #[test]
    fn a_drained_mailbox_gives_its_capacity_back() {
        let mut inbox = Inbox::default();
        for i in 0..100_000_u32 {
            inbox.mailbox.push_back(Msg::new(i));
        }
        let peak = inbox.mailbox.capacity();
        for i in 0..100_000_u32 {
            let msg = inbox.take(0).expect("queued");
            assert_eq!(msg.downcast_ref::<u32>(), Some(&i), "order is kept");
        }
        assert!(
            inbox.mailbox.capacity() <= 4 * Inbox::KEEP,
            "capacity {} of {peak} kept after draining",
            inbox.mailbox.capacity()
        );
    }

    #[test]
    fn selective_takes_keep_the_others_in_order() {
        let mut inbox = Inbox::default();
        for i in 0..10_u32 {
            inbox.mailbox.push_back(Msg::new(i));
        }
        assert_eq!(inbox.take(3).unwrap().downcast_ref::<u32>(), Some(&3));
        let rest: Vec<u32> = inbox
            .mailbox
            .iter()
            .map(|m| *m.downcast_ref().unwrap())
            .collect();
        assert_eq!(rest, [0, 1, 2, 4, 5, 6, 7, 8, 9]);
    }
}
