//! The core loop of a scheduler thread.
//!
//! Each turn: take work injected by other threads; poll up to `TASKS_PER_TURN`
//! queued tasks, each once, in the order they were woken; fire due timers;
//! then ask the reactor for I/O — without blocking if work is queued,
//! otherwise sleeping in the kernel until the next timer or a wake-up (a
//! virtual clock instead jumps to the next timer). Tasks woken while others
//! run are queued behind them, which is pycos' "one step per scheduled task
//! per round".

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use slab::Slab;

use super::reactor::Reactor;
use super::{Injected, Shared};
use crate::TaskId;
use crate::panic::{contain, drop_payload, panic_text};
use crate::task::TaskCtx;
use crate::task::TaskError;
use crate::task::header::{Action, Header, REMOTE_SLOT};
use crate::task::pause::Pause;
use crate::task::spec::{ErasedLocalSpec, ErasedSpec, TaskFuture};
use crate::time::{Clock, Timers};

/// Tasks polled between two looks at the reactor and the inject queue.
const TASKS_PER_TURN: usize = 128;

/// A task body on its scheduler.
struct Slot {
    header: Arc<Header>,
    /// `None` while the body is being polled. (Where it last paused is
    /// kept in the header's spare bytes: `Header::paused`.)
    future: Option<TaskFuture>,
}

pub(crate) struct Core {
    pub(crate) shared: Arc<Shared>,
    pub(crate) clock: Clock,
    pub(crate) timers: RefCell<Timers>,
    pub(crate) reactor: Reactor,
    run_queue: RefCell<VecDeque<Arc<Header>>>,
    tasks: RefCell<Slab<Slot>>,
    current: RefCell<Option<Arc<Header>>>,
    stopping: Cell<bool>,
    /// Where the task being polled pauses, as its waits note it
    /// (`context::note_pause`); the scheduler keeps it in the header after
    /// the poll.
    pause: Cell<Pause>,
}

impl Core {
    pub(crate) fn new(shared: Arc<Shared>, reactor: Reactor, virtual_clock: bool) -> Core {
        Core {
            shared,
            clock: Clock::new(virtual_clock),
            timers: RefCell::new(Timers::default()),
            reactor,
            run_queue: RefCell::new(VecDeque::new()),
            tasks: RefCell::new(Slab::new()),
            current: RefCell::new(None),
            stopping: Cell::new(false),
            pause: Cell::new(Pause::NESTED),
        }
    }

    pub(crate) fn current(&self) -> Option<Arc<Header>> {
        self.current.borrow().clone()
    }

    /// `f` of the task being polled, without taking a reference to it.
    pub(crate) fn with_current<T>(&self, f: impl FnOnce(&Arc<Header>) -> T) -> Option<T> {
        self.current.borrow().as_ref().map(f)
    }

    pub(crate) fn current_id(&self) -> Option<TaskId> {
        self.current.borrow().as_ref().map(|h| h.id())
    }

    /// The task being polled pauses at `place` (combined with what an
    /// inner wait noted).
    pub(crate) fn note_pause(&self, place: Pause) {
        self.pause.set(self.pause.get().and(place));
    }

    pub(crate) fn push(&self, header: Arc<Header>) {
        self.run_queue.borrow_mut().push_back(header);
    }

    /// Places a new task's body and queues it (scheduler thread).
    pub(crate) fn spawn(&self, header: Arc<Header>, spec: Box<dyn ErasedSpec>) {
        self.place(header, |ctx| spec.start(ctx));
    }

    /// Places a task from a spec that is not `Send` (`TaskCtx::spawn_local`,
    /// through `runtime::local`) and queues it, as [`spawn`](Core::spawn)
    /// does: the spec was made on this thread and never left it.
    pub(crate) fn spawn_local(&self, header: Arc<Header>, spec: Box<dyn ErasedLocalSpec>) {
        self.place(header, |ctx| spec.start(ctx));
    }

    /// Starts a body with `start`, puts it in the slab and queues the task.
    fn place(&self, header: Arc<Header>, start: impl FnOnce(TaskCtx) -> TaskFuture) {
        if self.stopping.get() {
            self.shared.end_task(&header, Err(TaskError::Terminated));
            return;
        }
        let future = start(TaskCtx::new(header.clone()));
        let slot = Slot {
            header: header.clone(),
            future: Some(future),
        };
        let key = self.tasks.borrow_mut().insert(slot);
        let key = u32::try_from(key).ok().filter(|&k| k < REMOTE_SLOT);
        header.placed(key.expect("fewer than 4 billion live tasks"));
        self.push(header);
    }

    /// The scheduler thread's loop; returns when the scheduler stops.
    ///
    /// Each step that can run user code — a poll, but also the destructor
    /// of a message or a task's value dropped with the last reference the
    /// scheduler held — is contained: a panic there is logged and the loop
    /// goes on (DESIGN §3, Containment). A panic anywhere else is a bug of
    /// the scheduler itself; it unwinds out of `run`, and the thread's
    /// wrapper ([`Core::die`]) fails every waiter instead of leaving it
    /// hanging.
    pub(crate) fn run(&self) {
        let mut injected = VecDeque::new();
        loop {
            self.shared.inject.drain_into(&mut injected);
            for work in injected.drain(..) {
                if let Injected::Fail = work {
                    panic!("scheduler failure injected for a test");
                }
                contain("accepting work", || self.accept(work));
            }
            if self.stopping.get() {
                return self.shutdown();
            }
            // One containment for the whole batch: a panic outside a poll
            // (a destructor, say) ends the batch, not the loop.
            contain("running tasks", || {
                for _ in 0..TASKS_PER_TURN {
                    let Some(header) = self.run_queue.borrow_mut().pop_front() else {
                        break;
                    };
                    self.run_task(header);
                }
            });
            self.fire_timers();
            let timeout = self.park_timeout();
            self.reactor.turn(timeout);
        }
    }

    /// Wakes the tasks whose timers are due. The timer queue is released
    /// first, as the reactor does for I/O: a waker may arm or cancel timers
    /// (a custom waker, a task woken on this thread that polls at once).
    /// Each wake is contained on its own, so one panicking waker does not
    /// keep the others from firing.
    fn fire_timers(&self) {
        let now = self.clock.now();
        let mut due = self.timers.borrow_mut().take_due(now);
        for waker in due.drain(..) {
            contain("waking a timer's task", || waker.wake());
        }
        self.timers.borrow_mut().give_back(due);
    }

    fn accept(&self, work: Injected) {
        match work {
            Injected::Wake(header) => self.push(header),
            Injected::Spawn(header, spec) => self.spawn(header, spec),
            Injected::Stop => self.stopping.set(true),
            Injected::Fail => unreachable!("failures are not contained: see `run`"),
        }
    }

    /// What the scheduler thread does when `run` unwound: refuse new work,
    /// end every task it held with [`TaskError::SchedulerDied`] and wake
    /// everyone waiting for them or for the scheduler.
    pub(crate) fn die(&self, reason: String) {
        tracing::error!(scheduler = %self.shared.name, %reason, "scheduler thread died");
        self.shared.set_dead(reason.clone());
        let died = || Err(TaskError::SchedulerDied(reason.clone()));
        let bodies: Vec<(Arc<Header>, Option<TaskFuture>)> = self
            .tasks
            .borrow_mut()
            .drain()
            .map(|slot| (slot.header, slot.future))
            .collect();
        for (header, future) in bodies {
            header.removed();
            if let Some(future) = future {
                self.drop_body(header.clone(), future);
            }
            contain("ending a task", || self.shared.end_task(&header, died()));
        }
        for work in self.shared.inject.close() {
            if let Injected::Spawn(header, _) = work {
                contain("ending a task", || self.shared.end_task(&header, died()));
            }
        }
        contain("dropping the run queue", || {
            self.run_queue.borrow_mut().clear();
        });
    }

    /// How long the reactor may sleep: not at all when work is queued; until
    /// the next timer (or a wake-up) otherwise. A virtual clock jumps to the
    /// next timer instead of sleeping.
    fn park_timeout(&self) -> Option<Duration> {
        if !self.run_queue.borrow().is_empty() || self.shared.inject.is_notified() {
            return Some(Duration::ZERO);
        }
        let next = self.timers.borrow_mut().next_deadline()?;
        if self.clock.is_virtual() {
            if self.shared.outside.any() {
                // Work on another thread will wake a task: time stands
                // still until it does (see `super::outside`).
                return None;
            }
            // A task whose I/O is already ready is not waiting: collect
            // readiness before letting time jump.
            self.reactor.turn(Some(Duration::ZERO));
            if self.run_queue.borrow().is_empty() && !self.shared.inject.is_notified() {
                self.clock.advance_to(next);
            }
            return Some(Duration::ZERO);
        }
        Some(Duration::from_nanos(next.saturating_sub(self.clock.now())))
    }

    /// Polls one task once, unless a pending interrupt ends or swaps it.
    fn run_task(&self, header: Arc<Header>) {
        let (key, last_pause) = header.begin_poll();
        let Some(mut future) = self.take_body(key, &header) else {
            return;
        };
        if let Some(action) = header.pending_action(last_pause) {
            return self.apply(key, header, future, action);
        }
        self.pause.set(Pause::NESTED);
        // A waker borrowed from the current task's reference: no reference
        // counting per poll (a stored waker's clone and drop would be two
        // atomic operations on the hottest path) and no waker kept per task
        // (16 bytes). Wakers that outlive the poll are cloned from it
        // by whoever keeps them.
        let (header, polled) = self.as_current(header, |current| {
            let waker = futures_task::waker_ref(current);
            catch_unwind(AssertUnwindSafe(|| {
                super::coop::budgeted(|| future.as_mut().poll(&mut Context::from_waker(&waker)))
            }))
        });
        match polled {
            Ok(Poll::Pending) => {
                let pause = self.pause.get();
                header.set_paused(pause);
                if let Some(action) = header.pending_action(pause) {
                    return self.apply(key, header, future, action);
                }
                if let Some(slot) = self.tasks.borrow_mut().get_mut(key) {
                    slot.future = Some(future);
                }
            }
            Ok(Poll::Ready(outcome)) => self.end(key, header, future, outcome),
            Err(panic) => {
                // Logged with the task's end (`log_failure`).
                let text = panic_text(&*panic);
                drop_payload(panic);
                self.end(key, header, future, Err(TaskError::Panicked(text)));
            }
        }
    }

    fn take_body(&self, key: usize, header: &Arc<Header>) -> Option<TaskFuture> {
        let mut tasks = self.tasks.borrow_mut();
        let slot = tasks.get_mut(key)?;
        if !Arc::ptr_eq(&slot.header, header) {
            return None;
        }
        slot.future.take()
    }

    fn apply(&self, key: usize, header: Arc<Header>, future: TaskFuture, action: Action) {
        match action {
            Action::Terminate => self.end(key, header, future, Err(TaskError::Terminated)),
            Action::Throw(err) => self.end(key, header, future, Err(TaskError::Thrown(err))),
            Action::Swap(spec) => {
                let header = self.drop_body(header, future);
                header.rename(spec.name());
                let future = spec.start(TaskCtx::new(header.clone()));
                if let Some(slot) = self.tasks.borrow_mut().get_mut(key) {
                    slot.future = Some(future);
                    // Like a new task: nothing of the new body has run.
                    header.set_paused(Pause::UNSTARTED);
                }
                if header.requeue() {
                    self.push(header);
                }
            }
        }
    }

    /// Ends a task: drops its body, then records the outcome.
    fn end(
        &self,
        key: usize,
        header: Arc<Header>,
        future: TaskFuture,
        outcome: Result<crate::Msg, TaskError>,
    ) {
        let header = self.drop_body(header, future);
        self.tasks.borrow_mut().try_remove(key);
        header.removed();
        self.shared.end_task(&header, outcome);
    }

    /// Drops a body as its task (destructors may use `cur_task`), containing
    /// a panicking destructor.
    fn drop_body(&self, header: Arc<Header>, future: TaskFuture) -> Arc<Header> {
        let (header, dropped) =
            self.as_current(header, |_| catch_unwind(AssertUnwindSafe(|| drop(future))));
        if let Err(panic) = dropped {
            tracing::warn!(panic = %panic_text(&*panic), "panic while dropping a task");
            drop_payload(panic);
        }
        header
    }

    /// Runs `f` with `header` as the current task, and hands `header` back.
    /// The reference moves in and out, which costs no reference counting
    /// (a clone per poll did: 2 of the ~16 atomic operations per ping-pong
    /// message). `current` stays borrowed (shared) while `f` runs: code in
    /// the task reads it, and nothing writes it until `f` returns.
    fn as_current<T>(
        &self,
        header: Arc<Header>,
        f: impl FnOnce(&Arc<Header>) -> T,
    ) -> (Arc<Header>, T) {
        let previous = self.current.replace(Some(header));
        let result = {
            let current = self.current.borrow();
            f(current.as_ref().expect("the current task was just set"))
        };
        let header = self.current.replace(previous);
        (
            header.expect("the current task stays set while it runs"),
            result,
        )
    }

    /// Ends every task (their destructors run), refuses further work, and
    /// ends tasks that were still being handed over.
    fn shutdown(&self) {
        loop {
            let remaining: Vec<(usize, Arc<Header>)> = self
                .tasks
                .borrow()
                .iter()
                .map(|(key, slot)| (key, slot.header.clone()))
                .collect();
            if remaining.is_empty() {
                break;
            }
            for (key, header) in remaining {
                let future = self
                    .tasks
                    .borrow_mut()
                    .get_mut(key)
                    .and_then(|s| s.future.take());
                if let Some(future) = future {
                    self.end(key, header, future, Err(TaskError::Terminated));
                } else {
                    self.tasks.borrow_mut().try_remove(key);
                }
            }
        }
        for work in self.shared.inject.close() {
            if let Injected::Spawn(header, _) = work {
                self.shared.end_task(&header, Err(TaskError::Terminated));
            }
        }
        self.run_queue.borrow_mut().clear();
        // The channel table keeps channels until closed, and they keep
        // their subscribed tasks, which keep this scheduler: let go.
        crate::channel::release_all(&self.shared);
    }
}

#[cfg(test)]
mod tests {
    /// Every live task holds one slab entry on its scheduler: the body's
    /// box and the header's `Arc`, nothing else (where the body paused
    /// lives in the header's padding). `Slab` stores `enum { Vacant(usize),
    /// Occupied(Slot) }`, mirrored here: the vacant link fits beside the
    /// niches, so the entry is no bigger than the slot.
    #[test]
    fn slab_entry_is_three_words() {
        #[allow(dead_code)]
        enum SlabEntry {
            Vacant(usize),
            Occupied(super::Slot),
        }
        assert!(size_of::<super::Slot>() <= 24);
        assert!(size_of::<SlabEntry>() <= 24);
    }
}
