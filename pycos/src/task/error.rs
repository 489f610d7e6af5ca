//! Errors of task operations, one small type per failure.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

use crate::undelivered::{Reason, ToTask, Undelivered};

/// How a task ended without producing its value. Carried by
/// [`MonitorStatus`](crate::MonitorStatus) and returned by
/// [`Task::finish`](crate::Task::finish).
///
/// # Reasons that only remote tasks give
///
/// [`Unreachable`](TaskError::Unreachable) and
/// [`TimedOut`](TaskError::TimedOut) come only from a task on another node:
/// they say that the outcome is *unknown* (the task may have finished, or may
/// still run), which is not the same as a task that failed
/// ([`is_outcome_unknown`](TaskError::is_outcome_unknown)).
///
/// # Crossing a wire
///
/// [`to_parts`](TaskError::to_parts) gives plain data (a
/// [`TaskErrorKind`] and a text) and [`from_parts`](TaskError::from_parts)
/// builds the error again, so that a remote
/// [`MonitorStatus`](crate::MonitorStatus) can carry it. A thrown error
/// crosses as its text: the far side gets a [`ThrownError`] holding an
/// [`ErrorText`].
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
    /// Only for remote tasks: the peer that runs the task became
    /// unreachable (the text names it) before its outcome arrived. The task
    /// may have finished, or may still run.
    Unreachable(String),
    /// Only for remote tasks: no answer about the task's outcome came in
    /// time. The task may have finished, or may still run.
    TimedOut,
}

impl TaskError {
    /// Whether a fallible task returned `Err` ([`TaskError::Error`]).
    pub fn is_error(&self) -> bool {
        matches!(self, TaskError::Error(_))
    }

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

    /// Whether the task's scheduler thread died.
    pub fn is_scheduler_died(&self) -> bool {
        matches!(self, TaskError::SchedulerDied(_))
    }

    /// Whether a task awaited its own end.
    pub fn is_self_wait(&self) -> bool {
        matches!(self, TaskError::SelfWait)
    }

    /// Whether the (remote) task's peer became unreachable.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, TaskError::Unreachable(_))
    }

    /// Whether no answer about the (remote) task's outcome came in time.
    pub fn is_timed_out(&self) -> bool {
        matches!(self, TaskError::TimedOut)
    }

    /// Whether the task's outcome is unknown rather than failed: it may have
    /// finished, or may still run ([`Unreachable`](TaskError::Unreachable)
    /// or [`TimedOut`](TaskError::TimedOut), remote tasks only).
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, TaskError::Unreachable(_) | TaskError::TimedOut)
    }

    /// Which variant this is, as plain data.
    pub fn kind(&self) -> TaskErrorKind {
        match self {
            TaskError::Error(_) => TaskErrorKind::Error,
            TaskError::Panicked(_) => TaskErrorKind::Panicked,
            TaskError::Thrown(_) => TaskErrorKind::Thrown,
            TaskError::Terminated => TaskErrorKind::Terminated,
            TaskError::SchedulerDied(_) => TaskErrorKind::SchedulerDied,
            TaskError::SelfWait => TaskErrorKind::SelfWait,
            TaskError::Unreachable(_) => TaskErrorKind::Unreachable,
            TaskError::TimedOut => TaskErrorKind::TimedOut,
        }
    }

    /// The error as plain data that can cross a wire: its kind and its text
    /// (the variant's text, a thrown error's [`Display`](fmt::Display), or
    /// empty for a variant without one). [`from_parts`](TaskError::from_parts)
    /// builds it again.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::{TaskError, TaskErrorKind};
    ///
    /// let (kind, text) = TaskError::Panicked("boom".into()).to_parts();
    /// assert_eq!((kind, text.as_str()), (TaskErrorKind::Panicked, "boom"));
    /// let back = TaskError::from_parts(kind, text);
    /// assert!(matches!(&back, TaskError::Panicked(text) if text == "boom"));
    /// ```
    pub fn to_parts(&self) -> (TaskErrorKind, String) {
        let text = match self {
            TaskError::Error(text)
            | TaskError::Panicked(text)
            | TaskError::SchedulerDied(text)
            | TaskError::Unreachable(text) => text.clone(),
            TaskError::Thrown(err) => err.to_string(),
            TaskError::Terminated | TaskError::SelfWait | TaskError::TimedOut => String::new(),
        };
        (self.kind(), text)
    }

    /// The error that [`to_parts`](TaskError::to_parts) gave `kind` and
    /// `text` for. A thrown error comes back as
    /// [`ThrownError::from_text`]; the text of a variant without one is
    /// ignored.
    pub fn from_parts(kind: TaskErrorKind, text: impl Into<String>) -> TaskError {
        let text = text.into();
        match kind {
            TaskErrorKind::Error => TaskError::Error(text),
            TaskErrorKind::Panicked => TaskError::Panicked(text),
            TaskErrorKind::Thrown => TaskError::Thrown(ThrownError::from_text(text)),
            TaskErrorKind::Terminated => TaskError::Terminated,
            TaskErrorKind::SchedulerDied => TaskError::SchedulerDied(text),
            TaskErrorKind::SelfWait => TaskError::SelfWait,
            TaskErrorKind::Unreachable => TaskError::Unreachable(text),
            TaskErrorKind::TimedOut => TaskError::TimedOut,
        }
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
            TaskError::Unreachable(peer) => write!(
                f,
                "peer {peer} of the remote task is unreachable; the task's outcome is unknown"
            ),
            TaskError::TimedOut => {
                f.write_str("timed out waiting for the remote task; its outcome is unknown")
            }
        }
    }
}

impl Error for TaskError {}

/// The kind of a [`TaskError`], as plain data for a wire
/// ([`TaskError::to_parts`]). [`as_str`](TaskErrorKind::as_str) and
/// [`from_name`](TaskErrorKind::from_name) give each kind a stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskErrorKind {
    /// [`TaskError::Error`].
    Error,
    /// [`TaskError::Panicked`].
    Panicked,
    /// [`TaskError::Thrown`].
    Thrown,
    /// [`TaskError::Terminated`].
    Terminated,
    /// [`TaskError::SchedulerDied`].
    SchedulerDied,
    /// [`TaskError::SelfWait`].
    SelfWait,
    /// [`TaskError::Unreachable`].
    Unreachable,
    /// [`TaskError::TimedOut`].
    TimedOut,
}

impl TaskErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [TaskErrorKind; 8] = [
        TaskErrorKind::Error,
        TaskErrorKind::Panicked,
        TaskErrorKind::Thrown,
        TaskErrorKind::Terminated,
        TaskErrorKind::SchedulerDied,
        TaskErrorKind::SelfWait,
        TaskErrorKind::Unreachable,
        TaskErrorKind::TimedOut,
    ];

    /// The kind's stable name (`"panicked"`, `"timed_out"`, …), never its
    /// position: kinds may be added.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskErrorKind::Error => "error",
            TaskErrorKind::Panicked => "panicked",
            TaskErrorKind::Thrown => "thrown",
            TaskErrorKind::Terminated => "terminated",
            TaskErrorKind::SchedulerDied => "scheduler_died",
            TaskErrorKind::SelfWait => "self_wait",
            TaskErrorKind::Unreachable => "unreachable",
            TaskErrorKind::TimedOut => "timed_out",
        }
    }

    /// The kind named `name` by [`as_str`](TaskErrorKind::as_str), or `None`
    /// for a name this version does not know.
    pub fn from_name(name: &str) -> Option<TaskErrorKind> {
        TaskErrorKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for TaskErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error thrown into a task with [`Task::throw`](crate::Task::throw).
/// Cheap to clone: every monitor gets the same error.
#[derive(Debug, Clone)]
pub struct ThrownError(Arc<dyn Error + Send + Sync>);

impl ThrownError {
    pub(crate) fn new(err: Box<dyn Error + Send + Sync>) -> ThrownError {
        ThrownError(Arc::from(err))
    }

    /// A thrown error known only by its text, as one that arrived from
    /// another node: it displays `text`, and [`get_ref`](ThrownError::get_ref)
    /// holds an [`ErrorText`].
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::{ErrorText, ThrownError};
    ///
    /// let err = ThrownError::from_text("stop reading");
    /// assert_eq!(err.to_string(), "stop reading");
    /// let text = err.get_ref().downcast_ref::<ErrorText>().unwrap();
    /// assert_eq!(text.as_str(), "stop reading");
    /// ```
    pub fn from_text(text: impl Into<String>) -> ThrownError {
        ThrownError(Arc::new(ErrorText(text.into())))
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

/// An error known only by its text: what a [`ThrownError`] that crossed a
/// wire holds ([`ThrownError::from_text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorText(String);

impl ErrorText {
    /// The error's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ErrorText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for ErrorText {}

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

/// A message could not be sent to a task; the message is handed back
/// ([`into_inner`](SendError::into_inner)). The `is_*` queries say why.
///
/// Without a network the only reason is that the task has ended
/// ([`is_ended`](SendError::is_ended)). A remote task adds: the message's
/// type is not serializable, the peer is unreachable, the peer refused the
/// message, or no acknowledgement came in time (then the message may or may
/// not have arrived).
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn quick() {}
///
/// let sched = Pycos::new();
/// let gone = sched.spawn(quick());
/// gone.value()?;
/// let err = gone.send(5_u32).unwrap_err();
/// assert!(err.is_ended());
/// assert_eq!(err.to_string(), "task has ended; message (u32) not sent");
/// assert_eq!(err.into_inner().downcast_ref::<u32>(), Some(&5));
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type SendError = Undelivered<ToTask>;

/// The target task has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAlive;

impl fmt::Display for NotAlive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task is not alive")
    }
}

impl Error for NotAlive {}

/// Why [`Task::throw`](crate::Task::throw) failed; the thrown error is
/// handed back ([`into_inner`](ThrowError::into_inner)). The `is_*` queries
/// say why.
///
/// Without a network the reasons are that the task has ended
/// ([`is_ended`](ThrowError::is_ended)) or that a task threw into itself
/// ([`is_self_throw`](ThrowError::is_self_throw)). A remote task adds: the
/// peer is unreachable, the peer refused, or no answer came in time (then
/// the error may or may not have been thrown). A thrown error crosses a wire
/// as its text, so it is never "not serializable".
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn quick() {}
///
/// let sched = Pycos::new();
/// let gone = sched.spawn(quick());
/// gone.value()?;
/// let err = gone.throw("too late").unwrap_err();
/// assert!(err.is_ended());
/// assert_eq!(err.into_inner().to_string(), "too late");
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct ThrowError {
    reason: ThrowReason,
    error: ThrownError,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ThrowReason {
    /// A running task threw into itself.
    SelfThrow,
    /// The throw did not reach the task.
    Failed(Reason),
}

impl ThrowError {
    fn with(reason: Reason, error: ThrownError) -> ThrowError {
        ThrowError {
            reason: ThrowReason::Failed(reason),
            error,
        }
    }

    pub(crate) fn self_throw(error: ThrownError) -> ThrowError {
        ThrowError {
            reason: ThrowReason::SelfThrow,
            error,
        }
    }

    /// The task has ended. Hidden: for pycos-net, which also reports a
    /// remote task that has ended.
    #[doc(hidden)]
    pub fn ended(error: ThrownError) -> ThrowError {
        ThrowError::with(Reason::Ended, error)
    }

    /// The remote task's peer (`peer` names it) cannot be reached. Hidden:
    /// only pycos-net makes it.
    #[doc(hidden)]
    pub fn unreachable(error: ThrownError, peer: impl Into<String>) -> ThrowError {
        ThrowError::with(Reason::Unreachable(peer.into()), error)
    }

    /// The remote task's peer refused the throw, for `reason`. Hidden: only
    /// pycos-net makes it.
    #[doc(hidden)]
    pub fn refused(error: ThrownError, reason: impl Into<String>) -> ThrowError {
        ThrowError::with(Reason::Refused(reason.into()), error)
    }

    /// No answer came in time: the error may or may not have been thrown.
    /// Hidden: only pycos-net makes it.
    #[doc(hidden)]
    pub fn timed_out(error: ThrownError) -> ThrowError {
        ThrowError::with(Reason::TimedOut, error)
    }

    /// Whether the task has ended.
    pub fn is_ended(&self) -> bool {
        self.reason == ThrowReason::Failed(Reason::Ended)
    }

    /// Whether a running task threw into itself (return an error instead).
    pub fn is_self_throw(&self) -> bool {
        self.reason == ThrowReason::SelfThrow
    }

    /// Whether the remote task's peer cannot be reached.
    pub fn is_unreachable(&self) -> bool {
        matches!(self.reason, ThrowReason::Failed(Reason::Unreachable(_)))
    }

    /// Whether the remote task's peer refused the throw.
    pub fn is_refused(&self) -> bool {
        matches!(self.reason, ThrowReason::Failed(Reason::Refused(_)))
    }

    /// Whether no answer came in time: the error may or may not have been
    /// thrown (not the same as failed).
    pub fn is_timed_out(&self) -> bool {
        self.reason == ThrowReason::Failed(Reason::TimedOut)
    }

    /// The error that was not thrown.
    pub fn error(&self) -> &ThrownError {
        &self.error
    }

    /// The error that was not thrown, handed back.
    pub fn into_inner(self) -> ThrownError {
        self.error
    }
}

impl fmt::Display for ThrowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = match &self.reason {
            ThrowReason::SelfThrow => {
                return f.write_str("a running task cannot throw into itself");
            }
            ThrowReason::Failed(reason) => reason,
        };
        match reason {
            Reason::Ended => f.write_str("task has ended; error not thrown"),
            // Unused: a thrown error crosses as its text.
            Reason::NotSerializable => f.write_str("error not serializable; not thrown"),
            Reason::Unreachable(peer) => write!(f, "peer {peer} is unreachable; error not thrown"),
            Reason::Refused(reason) => write!(f, "peer refused the throw: {reason}"),
            Reason::TimedOut => {
                f.write_str("timed out; the error may or may not have been thrown into the task")
            }
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
