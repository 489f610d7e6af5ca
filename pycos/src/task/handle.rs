//! [`Task`]: the handle other tasks and threads hold.

use std::any::Any;
use std::error::Error;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use super::finish::Finish;
use super::header::{Header, Suspension};
use super::{NotAlive, SendError, TaskError, TaskSpec, ThrowError, ThrownError, ValueError};
use crate::runtime::{Pycos, context};
use crate::{IntoTimeout, Msg, TaskId};

/// A handle to a task: what others may do to it.
///
/// `Task` is the untyped handle (`Task<Msg>`); [`Task::new`] returns a
/// `Task<R>` typed by the task's return value, which [`finish`](Task::finish)
/// and [`value`](Task::value) give back. Handles are cheap to clone, `Send`
/// and `Sync`, compare and hash by [`TaskId`] (ids are never reused), and
/// print as `name/id` (the id's serial), as in pycos. Operations that only the task itself may
/// perform (receive, sleep, ...) are on its [`TaskCtx`](crate::TaskCtx).
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn double(n: u64) -> u64 {
///     n * 2
/// }
///
/// let sched = Pycos::new();
/// let t = sched.spawn(double(21));
/// assert_eq!(t.value().unwrap(), 42);
/// assert_eq!(t.name(), "double");
/// assert!(t.to_string().starts_with("double/"));
/// sched.finish().unwrap();
/// ```
pub struct Task<R = Msg> {
    pub(crate) header: Arc<Header>,
    _output: PhantomData<fn() -> R>,
}

impl<R> Task<R> {
    pub(crate) fn from_header(header: Arc<Header>) -> Task<R> {
        Task {
            header,
            _output: PhantomData,
        }
    }

    /// The untyped handle to the same task, to put in messages or collections.
    pub fn untyped(&self) -> Task {
        Task::from_header(self.header.clone())
    }

    /// The task's id: its node's incarnation and a serial, never reused
    /// (see [`TaskId`]).
    pub fn id(&self) -> TaskId {
        self.header.id()
    }

    /// The task's name: its function's name (changes with a hot swap), or
    /// the one given with [`TaskSpec::named`].
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn worker(n: u32) -> u32 {
    ///     n
    /// }
    ///
    /// let sched = Pycos::new();
    /// let name = format!("worker-{}", 7);
    /// let t = sched.spawn(worker(7).named(&name));
    /// assert_eq!(t.name(), "worker-7");
    /// assert!(t.to_string().starts_with("worker-7/"));
    /// sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        // Literal or interned (see `crate::id`): the name outlives the lock.
        self.header.lock().name
    }

    /// Whether the task has not ended yet.
    pub fn is_alive(&self) -> bool {
        self.header.is_alive()
    }

    /// The scheduler the task runs on: always `Some` for a task of this
    /// process (`None` is for a task on another node, reached through the
    /// networking crate).
    pub fn scheduler(&self) -> Option<Pycos> {
        if self.header.is_remote() {
            return None;
        }
        Some(Pycos::from_shared(self.header.sched.clone()))
    }

    /// Queues a message for the task. Never blocks; messages from one sender
    /// arrive in the order sent. A task waiting in `receive` is woken; a task
    /// waiting for anything else finds the message when it next receives.
    ///
    /// The receiver gets exactly the type sent (see [`Msg`]): `send("a")`
    /// arrives as a `&'static str`, not a `String`, and `send(1)` as an
    /// `i32`.
    ///
    /// # Errors
    ///
    /// The message is handed back in [`SendError`] if the task has ended.
    pub fn send(&self, msg: impl Any + Send + Sync) -> Result<(), SendError> {
        let msg = Msg::new(msg);
        if let Some((hook, to)) = self.header.remote() {
            return hook.send(&to, msg);
        }
        let receiver = {
            let mut state = self.header.lock();
            if state.outcome.is_some() {
                return Err(SendError::ended(msg));
            }
            let inbox = state.inbox();
            inbox.mailbox.push_back(msg);
            inbox.receiver.take()
        };
        if let Some(waker) = receiver {
            waker.wake();
        }
        Ok(())
    }

    /// Like [`send`](Task::send), as a wait that reports delivery (for a local
    /// task it completes at once; remote tasks answer over the network).
    ///
    /// # Errors
    ///
    /// [`SendError`] with the message if the task has ended.
    #[must_use = "a delivery happens only when awaited, and can fail: \
                  write `task.deliver(msg).await?`"]
    pub async fn deliver(&self, msg: impl Any + Send + Sync) -> Result<(), SendError> {
        if let Some((hook, to)) = self.header.remote() {
            return hook.deliver(&to, Msg::new(msg), None).await;
        }
        self.send(msg)
    }

    /// Wakes the task from [`suspend`](crate::TaskCtx::suspend) or
    /// [`sleep`](crate::TaskCtx::sleep) with `update` as the wait's result.
    /// Ignored (still `Ok`) when the task is not suspended: a resume does not
    /// wake a task waiting for a message. Alias: [`wakeup`](Task::wakeup).
    ///
    /// # Errors
    ///
    /// [`NotAlive`] if the task has ended.
    pub fn resume(&self, update: impl Any + Send + Sync) -> Result<(), NotAlive> {
        if let Some((hook, to)) = self.header.remote() {
            return hook.resume(&to, Msg::new(update));
        }
        let suspender = {
            let mut state = self.header.lock();
            if state.outcome.is_some() {
                return Err(NotAlive);
            }
            match std::mem::take(&mut state.suspension) {
                Suspension::Waiting(waker) => {
                    state.suspension = Suspension::Resumed(Msg::new(update));
                    Some(waker)
                }
                other => {
                    state.suspension = other;
                    None
                }
            }
        };
        match suspender {
            Some(waker) => waker.wake(),
            None => tracing::debug!(task = %self, "ignoring resume: task is not suspended"),
        }
        Ok(())
    }

    /// Alias of [`resume`](Task::resume).
    ///
    /// # Errors
    ///
    /// [`NotAlive`] if the task has ended.
    pub fn wakeup(&self, update: impl Any + Send + Sync) -> Result<(), NotAlive> {
        self.resume(update)
    }

    /// Throws `err` into the task at its current (or next) interruption point,
    /// waking it from any wait. Unless the task catches it there (with
    /// [`.catch()`](crate::WaitExt::catch)), the task ends with
    /// [`TaskError::Thrown`].
    ///
    /// # Errors
    ///
    /// [`ThrowError`], with the error, for an ended task
    /// ([`is_ended`](ThrowError::is_ended)) or when a task throws into itself
    /// ([`is_self_throw`](ThrowError::is_self_throw)).
    pub fn throw(&self, err: impl Into<Box<dyn Error + Send + Sync>>) -> Result<(), ThrowError> {
        let err = ThrownError::new(err.into());
        if context::current_task_id() == Some(self.id()) {
            return Err(ThrowError::self_throw(err));
        }
        if let Some((hook, to)) = self.header.remote() {
            return hook.throw(&to, err);
        }
        if self
            .header
            .interrupt(|i| i.thrown.push_back((err.clone(), false)))
        {
            Ok(())
        } else {
            Err(ThrowError::ended(err))
        }
    }

    /// Ends the task at its current (or next) await point: its body is
    /// dropped, so destructors run, and monitors hear
    /// [`TaskError::Terminated`]. A task terminating itself ends at its next
    /// await.
    ///
    /// # Errors
    ///
    /// [`NotAlive`] if the task has already ended.
    pub fn terminate(&self) -> Result<(), NotAlive> {
        if let Some((hook, to)) = self.header.remote() {
            return hook.terminate(&to);
        }
        if self.header.interrupt(|i| i.terminate = true) {
            Ok(())
        } else {
            Err(NotAlive)
        }
    }

    /// Replaces the task's body with `spec`, keeping its identity and mailbox.
    ///
    /// The swap waits until the task has declared
    /// [`hot_swappable(true)`](crate::TaskCtx::hot_swappable) and is at an
    /// interruption point. There the task may catch it (a `.catch()` wait
    /// returns [`Interrupt::HotSwap`](crate::Interrupt::HotSwap)) to decline
    /// or [`accept`](crate::HotSwap::accept) it; uncaught, it is applied. A
    /// later swap replaces one still pending.
    ///
    /// # Errors
    ///
    /// [`NotAlive`] if the task has ended.
    pub fn hot_swap<S>(&self, spec: TaskSpec<S>) -> Result<(), NotAlive> {
        if let Some((hook, to)) = self.header.remote() {
            return hook.hot_swap(&to, spec.name(), spec.erased.args());
        }
        let (swappable, replaced) = {
            let mut state = self.header.lock();
            if state.outcome.is_some() {
                return Err(NotAlive);
            }
            let replaced = state.rare().interrupts.swap.replace((spec.erased, false));
            (state.hot_swappable, replaced)
        };
        // The replaced spec's arguments are user values: dropped unlocked.
        drop(replaced);
        self.header.flag_interrupt();
        // A task that is not swappable yet is not disturbed; it picks the
        // swap up when it declares itself swappable.
        if swappable {
            use std::task::Wake;
            self.header.wake_by_ref();
        }
        Ok(())
    }

    /// Makes `monitor` a monitor of this task: when this task ends, `monitor`
    /// is sent a [`MonitorStatus`](crate::MonitorStatus).
    ///
    /// # Errors
    ///
    /// [`NotAlive`] if this task has already ended.
    pub fn notify<M>(&self, monitor: &Task<M>) -> Result<(), NotAlive> {
        // Ids are compared with no lock held: a proxy's `id()` takes its
        // own lock, and two locks held at once could deadlock.
        let known: Vec<Task> = {
            let state = self.header.lock();
            if state.outcome.is_some() {
                return Err(NotAlive);
            }
            state
                .rare_ref()
                .map(|r| r.monitors.clone())
                .unwrap_or_default()
        };
        if known.iter().any(|m| m == monitor) {
            return Ok(());
        }
        {
            let mut state = self.header.lock();
            if state.outcome.is_some() {
                return Err(NotAlive);
            }
            let monitors = &mut state.rare().monitors;
            // The same handle added meanwhile by another thread.
            if !monitors
                .iter()
                .any(|m| Arc::ptr_eq(&m.header, &monitor.header))
            {
                monitors.push(monitor.untyped());
            }
        }
        // A proxy learns of the remote task's end from its hook.
        self.header.watch_if_remote();
        Ok(())
    }
}

impl Task {
    /// Finds a task registered under `name` on the current scheduler (or the
    /// process-wide one outside schedulers). A wait, so that the networked
    /// version can ask peers.
    #[must_use = "`Task::locate` looks only when awaited: write `Task::locate(name).await`"]
    pub async fn locate(name: &str) -> Option<Task> {
        let sched = Pycos::scheduler().unwrap_or_else(Pycos::instance);
        if let Some(found) = sched.locate(name) {
            return Some(found);
        }
        let hook = crate::remote::hook(&sched)?;
        hook.locate_task(name).await
    }
}

impl<R: Any + Send + Sync + Clone> Task<R> {
    /// Starts `spec` on the current scheduler (the one running the calling
    /// task), or on the process-wide [`Pycos::instance`] outside tasks.
    pub fn new(spec: TaskSpec<R>) -> Task<R> {
        Pycos::scheduler()
            .unwrap_or_else(Pycos::instance)
            .spawn(spec)
    }

    /// Waits (in a task) until this task ends, and gives its value or how it
    /// failed. Can be awaited again after the end; add
    /// [`.timeout(t)`](crate::WaitExt::timeout) to bound the wait.
    pub fn finish(&self) -> Finish<R> {
        Finish::new(self.header.clone())
    }

    /// Blocks the calling thread until the task ends, and gives its value.
    /// For threads, not tasks: on the task's own scheduler thread it fails
    /// instead of deadlocking.
    ///
    /// # Errors
    ///
    /// [`ValueError::Task`] when the task failed,
    /// [`ValueError::OnSchedulerThread`] on the scheduler thread.
    pub fn value(&self) -> Result<R, ValueError> {
        self.wait_value(None)
    }

    /// [`value`](Task::value) with a time limit.
    ///
    /// # Errors
    ///
    /// As `value`, plus [`ValueError::TimedOut`].
    pub fn value_timeout(&self, timeout: impl IntoTimeout) -> Result<R, ValueError> {
        self.wait_value(timeout.into_timeout())
    }

    fn wait_value(&self, timeout: Option<std::time::Duration>) -> Result<R, ValueError> {
        if context::is_scheduler_thread(&self.header.sched) {
            return Err(ValueError::OnSchedulerThread);
        }
        self.header.watch_if_remote();
        let done = {
            let mut state = self.header.lock();
            if state.outcome.is_none() {
                Some(state.rare().done.get_or_insert_with(Arc::default).clone())
            } else {
                None
            }
        };
        if let Some(done) = done {
            done.wait(timeout);
        }
        let state = self.header.lock();
        match state.outcome.as_ref() {
            None => Err(ValueError::TimedOut),
            Some(outcome) => convert(outcome.get()).map_err(ValueError::Task),
        }
    }
}

/// The typed result of a task from its stored outcome.
pub(crate) fn convert<R: Any + Send + Sync + Clone>(
    outcome: Result<Msg, TaskError>,
) -> Result<R, TaskError> {
    outcome?.downcast::<R>().map_err(|msg| {
        tracing::warn!(
            found = msg.type_name(),
            "task result has another type than its handle"
        );
        TaskError::Terminated
    })
}

impl<R> Clone for Task<R> {
    fn clone(&self) -> Self {
        Task::from_header(self.header.clone())
    }
}

impl<R, S> PartialEq<Task<S>> for Task<R> {
    fn eq(&self, other: &Task<S>) -> bool {
        self.id() == other.id()
    }
}

impl<R> Eq for Task<R> {}

impl<R> Hash for Task<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id().hash(state);
    }
}

impl<R> fmt::Display for Task<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.header.remote() {
            Some((_, to)) => write!(f, "{to}"),
            None => write!(f, "{}/{}", self.name(), self.id()),
        }
    }
}

impl<R> fmt::Debug for Task<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Task({self})")
    }
}
