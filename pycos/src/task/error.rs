//! Errors of task operations, one small type per failure.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

use crate::Msg;

/// How a task ended without producing its value. Carried by
/// [`MonitorStatus`](crate::MonitorStatus) and returned by
/// [`Task::finish`](crate::Task::finish).
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
/// use pycos::ValueError;
///
/// #[task]
/// fn parse(text: String) -> Result<u32, std::num::ParseIntError> {
///     text.parse() // an `Err` fails the task with `TaskError::Error`
/// }
///
/// #[task]
/// fn idle(task: TaskCtx) {
///     task.suspend().await;
/// }
///
/// let sched = Pycos::new();
/// let bad = sched.spawn(parse("x".into()));
/// match bad.value() {
///     Err(ValueError::Task(TaskError::Error(text))) => {
///         assert_eq!(text, "invalid digit found in string");
///     }
///     other => panic!("unexpected {other:?}"),
/// }
/// let idle = sched.spawn(idle());
/// idle.terminate()?;
/// assert!(matches!(idle.value(), Err(ValueError::Task(err)) if err.is_terminated()));
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum TaskError {
    /// A fallible task (`-> Result<T, E>`) returned `Err`; the error's text.
    Error(String),
    /// The task panicked; the panic message.
    Panicked(String),
    /// An error thrown into the task with [`Task::throw`](crate::Task::throw)
    /// was not caught.
    Thrown(ThrownError),
    /// The task was terminated ([`Task::terminate`](crate::Task::terminate),
    /// or its scheduler shut down), or its result has another type than the
    /// handle expects after a hot swap.
    Terminated,
    /// The task's scheduler thread died before the task ended (a bug in
    /// the scheduler, not in the task); the text says why.
    SchedulerDied(String),
    /// A task awaited its own [`finish`](crate::Task::finish), which could
    /// never complete.
    SelfWait,
}

impl TaskError {
    /// Whether the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self, TaskError::Panicked(_))
    }

    /// Whether the task was terminated.
    pub fn is_terminated(&self) -> bool {
        matches!(self, TaskError::Terminated)
    }

    /// Whether an error thrown into the task ended it.
    pub fn is_thrown(&self) -> bool {
        matches!(self, TaskError::Thrown(_))
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Error(text) => write!(f, "task failed: {text}"),
            TaskError::Panicked(text) => write!(f, "task panicked: {text}"),
            TaskError::Thrown(err) => write!(f, "uncaught error thrown into task: {err}"),
            TaskError::Terminated => f.write_str("task was terminated"),
            TaskError::SchedulerDied(reason) => {
                write!(f, "the task's scheduler thread died: {reason}")
            }
            TaskError::SelfWait => {
                f.write_str("a task cannot wait for its own end (`finish()` on itself)")
            }
        }
    }
}

impl Error for TaskError {}

/// An error thrown into a task with [`Task::throw`](crate::Task::throw).
/// Cheap to clone: every monitor gets the same error.
#[derive(Debug, Clone)]
pub struct ThrownError(Arc<dyn Error + Send + Sync>);

impl ThrownError {
    pub(crate) fn new(err: Box<dyn Error + Send + Sync>) -> ThrownError {
        ThrownError(Arc::from(err))
    }

    /// The thrown error, to downcast to its concrete type.
    pub fn get_ref(&self) -> &(dyn Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Display for ThrownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Error for ThrownError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

/// Why [`Task::value`](crate::Task::value) gave no value.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ValueError {
    /// The task ended without a value.
    Task(TaskError),
    /// The time limit passed first.
    TimedOut,
    /// `value()` was called on the task's own scheduler thread, where waiting
    /// would deadlock; in a task, await [`Task::finish`](crate::Task::finish).
    OnSchedulerThread,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::Task(err) => fmt::Display::fmt(err, f),
            ValueError::TimedOut => f.write_str("timed out waiting for the task's value"),
            ValueError::OnSchedulerThread => f.write_str(
                "Task::value() called on the task's scheduler thread, which would deadlock; \
                 in a task, use `other.finish().await`",
            ),
        }
    }
}

impl Error for ValueError {}

/// A message could not be sent: the task has ended. The message is handed back.
#[derive(Debug, Clone)]
pub struct SendError(pub Msg);

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task has ended; message ({}) not sent",
            self.0.type_name()
        )
    }
}

impl Error for SendError {}

/// The target task has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAlive;

impl fmt::Display for NotAlive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task is not alive")
    }
}

impl Error for NotAlive {}

/// Why [`Task::throw`](crate::Task::throw) failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ThrowError {
    /// The task has ended.
    NotAlive,
    /// A task cannot throw into itself while it runs; return an error instead.
    SelfThrow,
}

impl fmt::Display for ThrowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThrowError::NotAlive => f.write_str("task is not alive"),
            ThrowError::SelfThrow => f.write_str("a running task cannot throw into itself"),
        }
    }
}

impl Error for ThrowError {}

/// Why a name could not be registered or unregistered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegisterError {
    /// Another task holds the name.
    Taken(String),
    /// Empty, or starting with `^` (reserved for system tasks, as in pycos).
    InvalidName(String),
    /// The task is not registered under that name.
    NotRegistered(String),
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegisterError::Taken(name) => write!(f, "name {name:?} is registered by another task"),
            RegisterError::InvalidName(name) => {
                write!(
                    f,
                    "invalid task name {name:?}: must be non-empty and not start with '^'"
                )
            }
            RegisterError::NotRegistered(name) => {
                write!(f, "task is not registered as {name:?}")
            }
        }
    }
}

impl Error for RegisterError {}
