//! [`TaskSpec`]: a task that has been described but not started.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use super::{TaskCtx, TaskError};
use crate::Msg;

/// The future a scheduler drives for one task: its body, with the result
/// already turned into a message (or the failure).
pub(crate) type TaskFuture = Pin<Box<dyn Future<Output = Result<Msg, TaskError>>>>;

/// A task described but not yet running: the function's name, its argument
/// tuple, and how to build its body on the scheduler thread.
///
/// `#[task] fn f(a: A, b: B, task: TaskCtx) -> R` makes `f(a, b)` return a
/// `TaskSpec<R>`. [`Task::new`](crate::Task::new) runs it;
/// [`Task::hot_swap`](crate::Task::hot_swap) replaces a task's body with it.
/// The spec is `Send` (its arguments are), while the body future it builds
/// need not be: it is created on the scheduler thread and never leaves it.
/// Because the arguments are kept apart as a tuple, a spec can be inspected
/// (and, with the networking crate, serialized to create the task remotely).
///
/// # Examples
///
/// Without the macro:
///
/// ```
/// use pycos::{Pycos, TaskSpec};
///
/// let sched = Pycos::new();
/// let spec = TaskSpec::new("add", (2, 3), |(a, b): (i32, i32), _task| async move { a + b });
/// assert_eq!(spec.name(), "add");
/// assert_eq!(spec.args().downcast_ref::<(i32, i32)>(), Some(&(2, 3)));
/// assert_eq!(sched.spawn(spec).value().unwrap(), 5);
/// sched.finish().unwrap();
/// ```
pub struct TaskSpec<R = Msg> {
    pub(crate) erased: Box<dyn ErasedSpec>,
    _output: PhantomData<fn() -> R>,
}

/// A spec with its argument and output types erased.
pub(crate) trait ErasedSpec: Send {
    fn name(&self) -> &'static str;
    fn args(&self) -> &(dyn Any + Send);
    fn start(self: Box<Self>, ctx: TaskCtx) -> TaskFuture;
}

struct Typed<A, F, Out, R> {
    name: &'static str,
    args: A,
    start: F,
    finish: fn(Out) -> Result<R, TaskError>,
}

impl<A, F, Fut, R> ErasedSpec for Typed<A, F, Fut::Output, R>
where
    A: Send + 'static,
    F: FnOnce(A, TaskCtx) -> Fut + Send + 'static,
    Fut: Future + 'static,
    R: Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn args(&self) -> &(dyn Any + Send) {
        &self.args
    }

    fn start(self: Box<Self>, ctx: TaskCtx) -> TaskFuture {
        let Typed {
            args,
            start,
            finish,
            ..
        } = *self;
        Box::pin(async move { finish(start(args, ctx).await).map(Msg::new) })
    }
}

impl<R: Send + Sync + 'static> TaskSpec<R> {
    /// Describes a task named `name` whose body is `start(args, task)`.
    ///
    /// `start` is called on the scheduler thread when the task starts; the
    /// future it returns need not be `Send`.
    pub fn new<A, F, Fut>(name: &'static str, args: A, start: F) -> TaskSpec<R>
    where
        A: Send + 'static,
        F: FnOnce(A, TaskCtx) -> Fut + Send + 'static,
        Fut: Future<Output = R> + 'static,
    {
        TaskSpec::with_finish(name, args, start, Ok)
    }

    /// Like [`new`](TaskSpec::new), with `finish` turning the body's output
    /// into the task's result (used by `#[task]` for fallible tasks).
    pub(crate) fn with_finish<A, F, Fut>(
        name: &'static str,
        args: A,
        start: F,
        finish: fn(Fut::Output) -> Result<R, TaskError>,
    ) -> TaskSpec<R>
    where
        A: Send + 'static,
        F: FnOnce(A, TaskCtx) -> Fut + Send + 'static,
        Fut: Future + 'static,
    {
        TaskSpec {
            erased: Box::new(Typed {
                name,
                args,
                start,
                finish,
            }),
            _output: PhantomData,
        }
    }
}

impl<R> TaskSpec<R> {
    /// Re-types an erased spec (the untyped handle's view of any task).
    pub(crate) fn from_erased(erased: Box<dyn ErasedSpec>) -> TaskSpec<R> {
        TaskSpec {
            erased,
            _output: PhantomData,
        }
    }

    /// The task function's name; the task is named after it.
    pub fn name(&self) -> &'static str {
        self.erased.name()
    }

    /// The argument tuple the task will be started with.
    pub fn args(&self) -> &(dyn Any + Send) {
        self.erased.args()
    }
}

impl<R> fmt::Debug for TaskSpec<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskSpec").field("name", &self.name()).finish_non_exhaustive()
    }
}
