//! [`TaskCtx`]: what a task may do to itself.

use std::marker::PhantomData;
use std::ops::Deref;
use std::rc::Rc;
use std::sync::Arc;

use super::header::Header;
use super::mailbox::{Receive, ReceiveMatching};
use super::suspend::Suspend;
use super::yield_now::YieldNow;
use super::{NotAlive, RegisterError, Task};
use crate::time::Timeout;
use crate::{IntoTimeout, Msg, WaitExt};

/// The running task's own handle, injected as the `task` parameter of a
/// `#[task]` function (pycos' `task=None`).
///
/// It holds the self-only operations — receiving, suspending, sleeping,
/// `set_daemon`, `hot_swappable`, registering a name — and dereferences to
/// the task's [`Task`] handle for everything else. It is not `Send`: it stays
/// on the scheduler thread with its task. Use [`handle`](TaskCtx::handle) to
/// put the task itself in a message.
///
/// Why `Deref` to [`Task`]: the Rust API guidelines keep `Deref` for smart
/// pointers, and a `TaskCtx` is one in the sense that matters — a pointer
/// to its task's handle that adds the rights only the task itself has, as
/// a `MutexGuard` adds rights to its value. pycos code calls `task.name()`,
/// `task.send(..)` or `task.monitor(..)` on its own task constantly, and
/// `task.handle().name()` everywhere, or a copy of every `Task` method on
/// `TaskCtx`, would read worse and drift. There is no method that exists on
/// both with a different meaning, so the auto-deref never surprises.
///
/// ```compile_fail
/// fn assert_send<T: Send>() {}
/// assert_send::<pycos::TaskCtx>();
/// ```
#[derive(Clone)]
pub struct TaskCtx {
    task: Task,
    _not_send: PhantomData<Rc<()>>,
}

impl TaskCtx {
    pub(crate) fn new(header: Arc<Header>) -> TaskCtx {
        TaskCtx {
            task: Task::from_header(header),
            _not_send: PhantomData,
        }
    }

    fn header(&self) -> &Arc<Header> {
        &self.task.header
    }

    /// This task's [`Task`] handle, to send to others.
    pub fn handle(&self) -> Task {
        self.task.clone()
    }

    /// Waits for the next message (the oldest queued one, if any).
    /// Only a `send` ends this wait; add `.timeout(t)` to bound it.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn echo(task: TaskCtx) -> &'static str {
    ///     task.send("hi").unwrap();
    ///     let msg = task.receive().await;
    ///     *msg.downcast_ref::<&str>().unwrap()
    /// }
    ///
    /// let sched = Pycos::new();
    /// assert_eq!(sched.spawn(echo()).value().unwrap(), "hi");
    /// sched.finish().unwrap();
    /// ```
    pub fn receive(&self) -> Receive {
        Receive::new(self.header().clone())
    }

    /// Alias of [`receive`](TaskCtx::receive).
    pub fn recv(&self) -> Receive {
        self.receive()
    }

    /// Waits for the oldest message that `predicate` accepts, leaving the
    /// others queued in their original order (Erlang's selective receive).
    pub fn receive_matching<P>(&self, predicate: P) -> ReceiveMatching<P>
    where
        P: FnMut(&Msg) -> bool + Unpin,
    {
        ReceiveMatching::new(self.header().clone(), predicate)
    }

    /// Suspends until another task or thread calls
    /// [`resume`](Task::resume); gives the resume's update. Messages do not
    /// end this wait.
    pub fn suspend(&self) -> Suspend {
        Suspend::new(self.header().clone())
    }

    /// Suspends for `duration` (seconds, or a `Duration`): `None` when the
    /// time passed, or `Some(update)` if resumed earlier. Zero or negative
    /// returns `None` at once.
    pub fn sleep(&self, duration: impl IntoTimeout) -> Timeout<Suspend> {
        self.suspend().timeout(duration)
    }

    /// Gives every other ready task a turn, then continues (pycos'
    /// `yield task.sleep(0)`): the task goes to the back of the run queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    /// use std::sync::{Arc, Mutex};
    ///
    /// #[task]
    /// fn take_turns(me: char, log: Arc<Mutex<String>>, task: TaskCtx) {
    ///     for _ in 0..3 {
    ///         log.lock().unwrap().push(me);
    ///         task.yield_now().await;
    ///     }
    /// }
    ///
    /// let sched = Pycos::new();
    /// let log = Arc::new(Mutex::new(String::new()));
    /// sched.spawn(take_turns('a', log.clone()));
    /// sched.spawn(take_turns('b', log.clone()));
    /// sched.join()?;
    /// assert_eq!(*log.lock().unwrap(), "ababab");
    /// sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn yield_now(&self) -> YieldNow {
        YieldNow::new()
    }

    /// Marks the task as a daemon (or not): `join` and `finish` do not wait
    /// for daemons, and `finish` ends them.
    pub fn set_daemon(&self, daemon: bool) {
        let header = self.header();
        let changed = {
            let mut state = header.lock();
            let changed = state.daemon != daemon && state.outcome.is_none();
            state.daemon = daemon;
            changed
        };
        if changed {
            header.sched.daemon_changed(daemon);
        }
    }

    /// Declares whether a hot swap may replace this task's body at its
    /// interruption points. A swap already pending applies at the next one.
    pub fn hot_swappable(&self, swappable: bool) {
        self.header().lock().hot_swappable = swappable;
        if swappable {
            self.header().wake_if_interrupted();
        }
    }

    /// Registers the task under `name` on its scheduler, so that
    /// [`Task::locate`] finds it. The name is released when the task ends.
    /// [`register_self`](TaskCtx::register_self) registers the task's own
    /// name. Task names are apart from channel names: a task and a
    /// [`Channel`](crate::Channel) may have the same one.
    ///
    /// **A difference from pycos:** pycos keeps a dead task's registration
    /// until it is unregistered, so `locate` can hand out an ended task;
    /// here the name is freed at the end, and another task may take it.
    ///
    /// # Errors
    ///
    /// [`RegisterError`] when the name is taken or invalid.
    pub fn register(&self, name: &str) -> Result<(), RegisterError> {
        self.header()
            .sched
            .registry
            .register_task(name, &self.task)?;
        self.header().lock().rare().names.push(name.to_owned());
        Ok(())
    }

    /// Registers the task under its own [name](Task::name) — its task
    /// function's, or the one given with
    /// [`named`](crate::TaskSpec::named) — as pycos' `register()` without
    /// an argument does. Otherwise as [`register`](TaskCtx::register): the
    /// name is released when the task ends, and
    /// [`unregister`](TaskCtx::unregister)`(task.name())` undoes it.
    ///
    /// # Errors
    ///
    /// [`RegisterError::Taken`] when another task holds the name (for
    /// instance a second task of the same function).
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn server(task: TaskCtx) -> u32 {
    ///     task.register_self().unwrap(); // as `task.register("server")`
    ///     *task.receive().await.downcast_ref::<u32>().unwrap()
    /// }
    ///
    /// #[task]
    /// fn client(task: TaskCtx) {
    ///     let server = loop {
    ///         match Task::locate("server").await {
    ///             Some(found) => break found,
    ///             None => task.yield_now().await,
    ///         }
    ///     };
    ///     server.send(7_u32).unwrap();
    /// }
    ///
    /// let sched = Pycos::new();
    /// let s = sched.spawn(server());
    /// sched.spawn(client());
    /// assert_eq!(s.value()?, 7);
    /// sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn register_self(&self) -> Result<(), RegisterError> {
        self.register(self.task.name())
    }

    /// Removes the registration `name` of this task.
    ///
    /// # Errors
    ///
    /// [`RegisterError::NotRegistered`] if the task is not registered so.
    pub fn unregister(&self, name: &str) -> Result<(), RegisterError> {
        let mut state = self.header().lock();
        let names = &mut state.rare().names;
        let Some(at) = names.iter().position(|n| n == name) else {
            return Err(RegisterError::NotRegistered(name.to_owned()));
        };
        names.remove(at);
        drop(state);
        self.header().sched.registry.unregister_task(name);
        Ok(())
    }

    /// Becomes a monitor of `other`: when it ends, this task receives a
    /// [`MonitorStatus`](crate::MonitorStatus) message.
    ///
    /// # Errors
    ///
    /// [`NotAlive`] if `other` has already ended (no status will come).
    pub async fn monitor<R>(&self, other: &Task<R>) -> Result<(), NotAlive> {
        other.notify(&self.task)
    }
}

/// See the type's docs for why a `TaskCtx` dereferences to its `Task`.
impl Deref for TaskCtx {
    type Target = Task;

    fn deref(&self) -> &Task {
        &self.task
    }
}

impl From<&TaskCtx> for Task {
    fn from(ctx: &TaskCtx) -> Task {
        ctx.handle()
    }
}

impl std::fmt::Debug for TaskCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TaskCtx({})", self.task)
    }
}
