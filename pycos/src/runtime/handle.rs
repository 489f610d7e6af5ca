//! [`Pycos`]: the public handle of a scheduler, and the process-wide
//! instance behind [`Pycos::instance`].

use std::fmt;
use std::sync::{Arc, Mutex};

use super::shared::{Injected, Shared};
use super::{AtexitId, Builder, SchedulerError, context, env};
use crate::IntoTimeout;
use crate::task::header::Header;
use crate::task::{Task, TaskSpec};
use crate::util::lock;

/// A scheduler: one thread running tasks one at a time (pycos' `Pycos`).
///
/// [`Pycos::instance`] is the process-wide scheduler that [`Task::new`] uses
/// outside tasks, started on first use; [`Pycos::new`] and [`Pycos::builder`]
/// make independent ones (tests use these, optionally with a virtual clock).
/// `Pycos` is a cheap handle; clones refer to the same scheduler.
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn greet(name: String, task: TaskCtx) -> String {
///     task.sleep(0.01).await;
///     format!("hello, {name}")
/// }
///
/// let sched = Pycos::new();
/// let t = sched.spawn(greet("pycos".into()));
/// sched.join()?;                      // wait for non-daemon tasks
/// assert_eq!(t.value()?, "hello, pycos");
/// sched.finish()?;                    // ... then stop the scheduler
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Pycos {
    pub(crate) shared: Arc<Shared>,
}

static INSTANCE: Mutex<Option<Pycos>> = Mutex::new(None);

impl Pycos {
    pub(crate) fn from_shared(shared: Arc<Shared>) -> Pycos {
        Pycos { shared }
    }

    /// The process-wide scheduler, started on first use (and again after it
    /// was finished). Its clock is real unless the environment variable
    /// `PYCOS_CLOCK=virtual` is set, which runs whole programs on virtual time
    /// (`PYCOS_CLOCK=real`, or empty, is the default).
    ///
    /// # Panics
    ///
    /// If the operating system refuses to create the scheduler's poller or
    /// thread, or if `PYCOS_CLOCK` has another value than `real` or
    /// `virtual` (the message lists them; `#[pycos::main]` checks this
    /// first and reports it as an error instead).
    pub fn instance() -> Pycos {
        let mut instance = lock(&INSTANCE);
        if let Some(sched) = instance.as_ref() {
            return sched.clone();
        }
        let virtual_clock = env::virtual_clock().unwrap_or_else(|err| panic!("{err}"));
        let sched = Builder::new()
            .virtual_clock(virtual_clock)
            .build()
            .unwrap_or_else(|err| panic!("cannot start the pycos scheduler: {err}"));
        *instance = Some(sched.clone());
        sched
    }

    /// The process-wide scheduler if it is running.
    pub(crate) fn instance_if_started() -> Option<Pycos> {
        lock(&INSTANCE).clone()
    }

    /// A new, independent scheduler with a real clock.
    ///
    /// # Panics
    ///
    /// If the operating system refuses to create its poller or thread; use
    /// [`Pycos::builder`] to handle that as an error.
    pub fn new() -> Pycos {
        Builder::new()
            .build()
            .unwrap_or_else(|err| panic!("cannot start a pycos scheduler: {err}"))
    }

    /// Configures a new scheduler (name, virtual clock).
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// The scheduler running the calling thread, if it is a scheduler thread.
    pub fn scheduler() -> Option<Pycos> {
        context::with_core(|core| Pycos::from_shared(core.shared.clone()))
    }

    /// The task currently running, when called from a task.
    pub fn cur_task() -> Option<Task> {
        context::current_header().map(Task::from_header)
    }

    /// The scheduler's name (also its thread's name).
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// Starts `spec` as a task on this scheduler. Callable from any thread.
    pub fn spawn<R>(&self, spec: TaskSpec<R>) -> Task<R> {
        let header = Header::new(self.shared.clone(), spec.erased.name());
        self.shared.task_started();
        let erased = spec.erased;
        if context::is_scheduler_thread(&self.shared) {
            context::with_core(|core| core.spawn(header.clone(), erased));
        } else if let Some(Injected::Spawn(header, _)) =
            self.shared.inject(Injected::Spawn(header.clone(), erased))
        {
            tracing::warn!(
                scheduler = self.name(),
                died = self.shared.death(),
                "task created on a stopped scheduler"
            );
            self.shared.end_task(&header, Err(self.shared.refused()));
        }
        Task::from_header(header)
    }

    /// Finds a task registered under `name` on this scheduler.
    pub fn locate(&self, name: &str) -> Option<Task> {
        self.shared.registry.task(name)
    }

    /// Waits until every non-daemon task has ended; the scheduler keeps
    /// running.
    ///
    /// # Errors
    ///
    /// [`SchedulerError::OnSchedulerThread`] from one of its own tasks;
    /// [`SchedulerError::Died`] if the scheduler thread died (its tasks
    /// ended with [`TaskError::SchedulerDied`](crate::TaskError::SchedulerDied)).
    pub fn join(&self) -> Result<(), SchedulerError> {
        self.check_thread()?;
        self.shared.wait_idle(None);
        self.check_alive()
    }

    /// [`join`](Pycos::join) with a time limit: `Ok(false)` if tasks were
    /// still running when it passed.
    ///
    /// # Errors
    ///
    /// [`SchedulerError::OnSchedulerThread`] from one of its own tasks.
    pub fn join_timeout(&self, limit: impl IntoTimeout) -> Result<bool, SchedulerError> {
        self.check_thread()?;
        let idle = self.shared.wait_idle(limit.into_timeout());
        self.check_alive()?;
        Ok(idle)
    }

    /// Waits for every non-daemon task, runs the [`atexit`](Pycos::atexit)
    /// hooks, ends the remaining (daemon) tasks — their destructors run —
    /// and stops the scheduler thread. Finishing the process-wide instance
    /// lets the next [`Pycos::instance`] start a fresh one.
    ///
    /// # Errors
    ///
    /// [`SchedulerError::OnSchedulerThread`] from one of its own tasks.
    pub fn finish(&self) -> Result<(), SchedulerError> {
        self.check_thread()?;
        self.shared.wait_idle(None);
        self.stop();
        self.check_alive()
    }

    /// Like [`finish`](Pycos::finish) without waiting: every task is ended
    /// at its current await point.
    ///
    /// # Errors
    ///
    /// [`SchedulerError::OnSchedulerThread`] from one of its own tasks.
    pub fn terminate(&self) -> Result<(), SchedulerError> {
        self.check_thread()?;
        self.stop();
        self.check_alive()
    }

    /// Whether the scheduler thread is still running.
    pub fn is_alive(&self) -> bool {
        lock(&self.shared.thread)
            .as_ref()
            .is_some_and(|thread| !thread.is_finished())
    }

    /// Adds a hook that `finish`/`terminate` run (on the calling thread)
    /// after the non-daemon tasks end and before the scheduler stops. Higher
    /// priorities run first.
    pub fn atexit(&self, priority: i32, hook: impl FnOnce() + Send + 'static) -> AtexitId {
        lock(&self.shared.hooks).add(priority, Box::new(hook))
    }

    /// Removes a hook added with [`atexit`](Pycos::atexit); `false` if it
    /// already ran or was removed.
    pub fn drop_atexit(&self, id: AtexitId) -> bool {
        lock(&self.shared.hooks).remove(id)
    }

    fn check_thread(&self) -> Result<(), SchedulerError> {
        if context::is_scheduler_thread(&self.shared) {
            Err(SchedulerError::OnSchedulerThread)
        } else {
            Ok(())
        }
    }

    /// [`SchedulerError::Died`] once the scheduler thread has died.
    fn check_alive(&self) -> Result<(), SchedulerError> {
        match self.shared.death() {
            Some(_) => Err(SchedulerError::Died),
            None => Ok(()),
        }
    }

    fn stop(&self) {
        let hooks = lock(&self.shared.hooks).take();
        for hook in hooks {
            // A failing hook must not keep the others, or the stop, from
            // happening.
            crate::panic::contain("running an atexit hook", hook);
        }
        self.shared.inject(Injected::Stop);
        let thread = lock(&self.shared.thread).take();
        if let Some(thread) = thread
            && thread.join().is_err()
        {
            tracing::error!(scheduler = self.name(), "scheduler thread panicked");
        }
        let mut instance = lock(&INSTANCE);
        if instance
            .as_ref()
            .is_some_and(|i| Arc::ptr_eq(&i.shared, &self.shared))
        {
            *instance = None;
        }
    }
}

impl Default for Pycos {
    fn default() -> Pycos {
        Pycos::new()
    }
}

impl PartialEq for Pycos {
    fn eq(&self, other: &Pycos) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Eq for Pycos {}

impl fmt::Debug for Pycos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pycos")
            .field("name", &self.shared.name)
            .finish()
    }
}
