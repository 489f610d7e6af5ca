//! [`TaskSpec`]: a task that has been described but not started, and
//! [`LocalTaskSpec`], one whose arguments stay on their scheduler's thread.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

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
#[must_use = "a task spec does nothing until started: pass it to `Task::new`"]
pub struct TaskSpec<R = Msg> {
    pub(crate) erased: Box<dyn ErasedSpec>,
    /// Set by `#[task(remote)]`: how to name and serialize this call for
    /// another node (see [`TaskSpec::remote`]).
    remote: Option<crate::rps::Describe>,
    _output: PhantomData<fn() -> R>,
}

/// A spec with its argument and output types erased.
pub(crate) trait ErasedSpec: Send {
    fn name(&self) -> &'static str;
    fn rename(&mut self, name: &'static str);
    fn args(&self) -> &(dyn Any + Send);
    fn start(self: Box<Self>, ctx: TaskCtx) -> TaskFuture;
}

/// A local spec with its argument and output types erased: as
/// [`ErasedSpec`], without `Send`.
pub(crate) trait ErasedLocalSpec {
    fn name(&self) -> &'static str;
    fn rename(&mut self, name: &'static str);
    fn args(&self) -> &dyn Any;
    fn start(self: Box<Self>, ctx: TaskCtx) -> TaskFuture;
}

pin_project! {
    /// A spec, and then — in the same allocation — the task body it starts.
    ///
    /// Starting a task turns the spec's box into the body's box in place
    /// instead of allocating a second one: one allocation fewer per spawn
    /// (allocation is a large part of a spawn's cost), and the body's result
    /// is turned into a message here rather than in a wrapping `async`
    /// block, one state machine fewer.
    struct Typed<A, F, Fut: Future, R> {
        finish: fn(Fut::Output) -> Result<R, TaskError>,
        #[pin]
        stage: Stage<A, F, Fut>,
    }
}

pin_project! {
    #[project = StageProj]
    enum Stage<A, F, Fut> {
        // The name is only needed before the start (the header has it).
        Spec { name: &'static str, args: A, start: F },
        Running { #[pin] body: Fut },
        Done,
    }
}

// SAFETY: `Typed` is `Send` in its `Spec` stage, where it holds only the
// `Send` arguments `A` and starter `F` (bounds of this impl). The possibly
// non-`Send` body `Fut` exists only after `Typed::start_body` (behind
// `ErasedSpec::start` and `ErasedLocalSpec::start`), which consumes the box
// and returns it as a `TaskFuture` — a `dyn Future` without `Send` that
// stays on the scheduler thread. No `Typed` past the `Spec` stage is
// reachable as a `dyn ErasedSpec` or any other `Send` type (a local spec's
// `dyn ErasedLocalSpec` is not `Send` at all).
unsafe impl<A: Send, F: Send, Fut: Future, R> Send for Typed<A, F, Fut, R> {}

impl<A, F, Fut, R> ErasedSpec for Typed<A, F, Fut, R>
where
    A: Send + 'static,
    F: FnOnce(A, TaskCtx) -> Fut + Send + 'static,
    Fut: Future + 'static,
    R: Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        self.spec_name()
    }

    fn rename(&mut self, name: &'static str) {
        self.set_spec_name(name);
    }

    fn args(&self) -> &(dyn Any + Send) {
        match self.spec_args() {
            Some(args) => args,
            None => &(),
        }
    }

    fn start(self: Box<Self>, ctx: TaskCtx) -> TaskFuture {
        self.start_body(ctx)
    }
}

impl<A, F, Fut, R> ErasedLocalSpec for Typed<A, F, Fut, R>
where
    A: 'static,
    F: FnOnce(A, TaskCtx) -> Fut + 'static,
    Fut: Future + 'static,
    R: Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        self.spec_name()
    }

    fn rename(&mut self, name: &'static str) {
        self.set_spec_name(name);
    }

    fn args(&self) -> &dyn Any {
        match self.spec_args() {
            Some(args) => args,
            None => &(),
        }
    }

    fn start(self: Box<Self>, ctx: TaskCtx) -> TaskFuture {
        self.start_body(ctx)
    }
}

/// What both kinds of spec share; each erases it as its own trait object
/// (`dyn ErasedSpec` only where `A` and `F` are `Send`).
impl<A, F, Fut: Future, R> Typed<A, F, Fut, R> {
    /// A spec that has not started, in the box its body will take over.
    fn boxed(
        name: &'static str,
        args: A,
        start: F,
        finish: fn(Fut::Output) -> Result<R, TaskError>,
    ) -> Box<Self> {
        Box::new(Typed {
            finish,
            stage: Stage::Spec { name, args, start },
        })
    }

    /// The task function's name, before the start.
    fn spec_name(&self) -> &'static str {
        match &self.stage {
            Stage::Spec { name, .. } => name,
            Stage::Running { .. } | Stage::Done => "",
        }
    }

    /// Renames a spec that has not started.
    fn set_spec_name(&mut self, new: &'static str) {
        if let Stage::Spec { name, .. } = &mut self.stage {
            *name = new;
        }
    }

    /// The argument tuple, before the start. Only a spec that has not
    /// started is reachable as an erased spec, so `None` is never seen.
    fn spec_args(&self) -> Option<&A> {
        match &self.stage {
            Stage::Spec { args, .. } => Some(args),
            Stage::Running { .. } | Stage::Done => None,
        }
    }
}

impl<A, F, Fut, R> Typed<A, F, Fut, R>
where
    A: 'static,
    F: FnOnce(A, TaskCtx) -> Fut + 'static,
    Fut: Future + 'static,
    R: Send + Sync + 'static,
{
    /// Builds the body from the arguments, in the spec's own box.
    fn start_body(mut self: Box<Self>, ctx: TaskCtx) -> TaskFuture {
        // Not pinned yet: the stage may still move.
        if let Stage::Spec { args, start, .. } = std::mem::replace(&mut self.stage, Stage::Done) {
            self.stage = Stage::Running {
                body: start(args, ctx),
            };
        }
        Box::into_pin(self)
    }
}

impl<A, F, Fut: Future, R: Send + Sync + 'static> Future for Typed<A, F, Fut, R> {
    type Output = Result<Msg, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let StageProj::Running { body } = this.stage.as_mut().project() else {
            panic!("a task body polled before its start or after its end");
        };
        let output = std::task::ready!(body.poll(cx));
        // The body is dropped here, as a finished `async` block drops its
        // locals, before the result goes out.
        this.stage.set(Stage::Done);
        Poll::Ready((this.finish)(output).map(Msg::new))
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
        TaskSpec::from_erased(Typed::boxed(name, args, start, finish))
    }
}

impl<R> TaskSpec<R> {
    /// Re-types an erased spec (the untyped handle's view of any task).
    pub(crate) fn from_erased(erased: Box<dyn ErasedSpec>) -> TaskSpec<R> {
        TaskSpec {
            erased,
            remote: None,
            _output: PhantomData,
        }
    }

    /// The task function's name, or the one given with
    /// [`named`](TaskSpec::named); the task is named after it.
    pub fn name(&self) -> &str {
        self.erased.name()
    }

    /// The same spec under another name, made at run time: the task it
    /// starts (or the task it is swapped into) is named `name`.
    ///
    /// Each distinct name is kept once, for the life of the process (task
    /// names are interned, so that [`Task::name`](crate::Task::name) can
    /// lend a `&str` cheaply even though a hot swap may rename the task):
    /// name tasks by role, not by a counter.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::TaskSpec;
    ///
    /// let role = String::from("collector");
    /// let spec = TaskSpec::new("f", (), |(), _task| async {}).named(&role);
    /// assert_eq!(spec.name(), "collector");
    /// ```
    pub fn named(mut self, name: &str) -> TaskSpec<R> {
        self.erased.rename(crate::id::intern(name));
        self
    }

    /// The argument tuple the task will be started with.
    pub fn args(&self) -> &(dyn Any + Send) {
        self.erased.args()
    }

    /// What a peer needs to create this same call: the remote function's
    /// name, signature and serializable arguments. `Some` for the spec of
    /// a `#[task(remote)]` function (see [`crate::rps`]), `None` for any
    /// other, so a networked API can take the spec itself, as in
    /// `client.run(compute(7, 0.5))`.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    ///
    /// #[task(remote)]
    /// fn square(n: u64, _task: TaskCtx) -> u64 {
    ///     n * n
    /// }
    ///
    /// let spec = square(7);
    /// let call = spec.remote().expect("a remote function's spec");
    /// assert!(call.name().ends_with("::square"));
    /// assert_eq!(call.signature_text(), "(u64) -> u64");
    /// assert_eq!(postcard::to_allocvec(call.args())?, postcard::to_allocvec(&(7_u64,))?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remote(&self) -> Option<crate::rps::RemoteCall<'_>> {
        (self.remote?)(self.erased.args())
    }

    /// Marks the spec as a call of the remote function `F`.
    pub(crate) fn mark_remote<F: crate::rps::RemoteFn>(mut self) -> TaskSpec<R> {
        self.remote = Some(crate::rps::describe::<F>);
        self
    }
}

impl<R> fmt::Debug for TaskSpec<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskSpec")
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}

/// A task described but not yet running, whose arguments need not be
/// `Send`: made by `#[task(local)]`, started only by
/// [`TaskCtx::spawn_local`](crate::TaskCtx::spawn_local) on the calling
/// task's own scheduler.
///
/// Tasks of one scheduler run one at a time on its thread, so they may
/// share `Rc<RefCell<_>>` state, as pycos tasks share Python objects. A
/// [`TaskSpec`] cannot carry an `Rc`: it may be started from any thread.
/// A `LocalTaskSpec` is not `Send`: it can be made and started only on the
/// thread where its arguments live, and since a [`TaskCtx`] never leaves its
/// scheduler's thread either, the compiler checks that the task runs where
/// its arguments are. [`Task::new`](crate::Task::new) and
/// [`Pycos::spawn`](crate::Pycos::spawn) do not take it, nor does
/// [`Task::hot_swap`](crate::Task::hot_swap): a local task cannot be hot
/// swapped *to* (a local task can itself be swapped to an ordinary spec).
///
/// # Examples
///
/// Two tasks appending to one `Rc<RefCell<Vec<_>>>`:
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// use pycos::prelude::*;
///
/// #[task(local)]
/// fn append(log: Rc<RefCell<Vec<String>>>, who: &'static str, task: TaskCtx) {
///     for i in 0..2 {
///         log.borrow_mut().push(format!("{who}{i}"));
///         task.sleep(0.0).await; // let the other one run
///     }
/// }
///
/// #[task]
/// fn both(task: TaskCtx) -> Vec<String> {
///     let log = Rc::new(RefCell::new(Vec::new()));
///     let a = task.spawn_local(append(log.clone(), "a"));
///     let b = task.spawn_local(append(log.clone(), "b"));
///     let (_, _) = (a.finish().await, b.finish().await);
///     log.take()
/// }
///
/// let sched = Pycos::new();
/// let mut log = sched.spawn(both()).value()?;
/// log.sort();
/// assert_eq!(log, ["a0", "a1", "b0", "b1"]);
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a task spec does nothing until started: pass it to `task.spawn_local`"]
pub struct LocalTaskSpec<R = Msg> {
    pub(crate) erased: Box<dyn ErasedLocalSpec>,
    _output: PhantomData<fn() -> R>,
}

impl<R: Send + Sync + 'static> LocalTaskSpec<R> {
    /// Describes a local task named `name` whose body is `start(args, task)`;
    /// neither `args` nor `start` need be `Send`.
    pub fn new<A, F, Fut>(name: &'static str, args: A, start: F) -> LocalTaskSpec<R>
    where
        A: 'static,
        F: FnOnce(A, TaskCtx) -> Fut + 'static,
        Fut: Future<Output = R> + 'static,
    {
        LocalTaskSpec::with_finish(name, args, start, Ok)
    }

    /// Like [`new`](LocalTaskSpec::new), with `finish` turning the body's
    /// output into the task's result (used by `#[task(local)]`).
    pub(crate) fn with_finish<A, F, Fut>(
        name: &'static str,
        args: A,
        start: F,
        finish: fn(Fut::Output) -> Result<R, TaskError>,
    ) -> LocalTaskSpec<R>
    where
        A: 'static,
        F: FnOnce(A, TaskCtx) -> Fut + 'static,
        Fut: Future + 'static,
    {
        LocalTaskSpec {
            erased: Typed::boxed(name, args, start, finish),
            _output: PhantomData,
        }
    }
}

impl<R> LocalTaskSpec<R> {
    /// The task function's name, or the one given with
    /// [`named`](LocalTaskSpec::named); the task is named after it.
    pub fn name(&self) -> &str {
        self.erased.name()
    }

    /// The same spec under another name, made at run time (interned, as
    /// for [`TaskSpec::named`]).
    pub fn named(mut self, name: &str) -> LocalTaskSpec<R> {
        self.erased.rename(crate::id::intern(name));
        self
    }

    /// The argument tuple the task will be started with.
    pub fn args(&self) -> &dyn Any {
        self.erased.args()
    }
}

impl<R> fmt::Debug for LocalTaskSpec<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalTaskSpec")
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}
