//! What `#[task]`, `#[pycos::main]` and `#[pycos::test]` expansions call.
//! Not a public API: names and signatures change without notice.

use std::fmt::Display;
use std::future::Future;

pub use crate::task::interrupt::{
    OtherWait, OwnWait, PointKind, Probe, PycosWait, ViaOtherWait, ViaOwnWait,
};
use crate::{LocalTaskSpec, Msg, Pycos, Task, TaskCtx, TaskError, TaskSpec};

mod main;
pub mod report;

pub use crate::message::{Entry as MessageEntry, MESSAGES};
pub use crate::rps::REMOTE_FNS;
pub use linkme;

/// What `#[task(remote)]` needs of each argument: serde both ways, and
/// `Send + 'static` as every task argument.
#[diagnostic::on_unimplemented(
    message = "argument `{Self}` of a #[task(remote)] function must be serializable: it crosses the wire",
    label = "not serializable",
    note = "derive `serde::Serialize` and `serde::Deserialize` for it (every field too), or pass a serializable value and build `{Self}` in the task"
)]
pub trait RemoteArg: serde::Serialize + serde::de::DeserializeOwned + Send + 'static {}

impl<T: serde::Serialize + serde::de::DeserializeOwned + Send + 'static> RemoteArg for T {}

/// Checks one argument of a remote task function.
pub fn assert_remote_arg<T: RemoteArg>() {}

/// The argument tuple of a remote task function (see [`RemoteArg`]).
#[diagnostic::on_unimplemented(
    message = "the arguments `{Self}` of a #[task(remote)] function must be serializable",
    note = "derive `serde::Serialize` and `serde::Deserialize` for each argument's type"
)]
pub trait RemoteArgs: serde::Serialize + serde::de::DeserializeOwned + Send + 'static {}

impl<T: serde::Serialize + serde::de::DeserializeOwned + Send + 'static> RemoteArgs for T {}

/// What `#[task(remote)]` needs of the result: a registered message type
/// (its value crosses back inside a `Msg`), `Clone` as typed task values
/// are.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the result of a #[task(remote)] function: it must be a pycos::Message and Clone",
    label = "the result crosses the wire back to the caller",
    note = "derive `Clone, serde::Serialize, serde::Deserialize, pycos::Message` for it; built-in types (integers, `String`, `Vec<u8>`, `()`, `Task`, ...) need nothing"
)]
pub trait RemoteOutput: crate::Message + Clone {}

impl<T: crate::Message + Clone> RemoteOutput for T {}

/// Checks the result of a remote task function.
pub fn assert_remote_output<T: RemoteOutput>() {}

/// What `#[derive(Message)]` needs of the type: serde both ways.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a pycos::Message: it must implement serde::Serialize and serde::Deserialize",
    label = "not serializable",
    note = "add `#[derive(serde::Serialize, serde::Deserialize)]` to the type (every field must be serializable too)"
)]
pub trait WireBounds: serde::Serialize + serde::de::DeserializeOwned {}

impl<T: serde::Serialize + serde::de::DeserializeOwned> WireBounds for T {}

/// Checks a derived message type (called by `#[derive(Message)]` output).
pub fn assert_wire<T: WireBounds>() {}

pub use main::{BEFORE_MAIN, MainReturn, before_main, run_main};

/// Builds the spec of a `#[task]` function.
pub fn spec<A, F, Fut, R>(
    name: &'static str,
    args: A,
    start: F,
    finish: fn(Fut::Output) -> Result<R, TaskError>,
) -> TaskSpec<R>
where
    A: Send + 'static,
    F: FnOnce(A, TaskCtx) -> Fut + Send + 'static,
    Fut: Future + 'static,
    R: Send + Sync + 'static,
{
    TaskSpec::with_finish(name, args, start, finish)
}

/// Builds the spec of a `#[task(local)]` function: as [`spec`], without
/// `Send`.
pub fn local_spec<A, F, Fut, R>(
    name: &'static str,
    args: A,
    start: F,
    finish: fn(Fut::Output) -> Result<R, TaskError>,
) -> LocalTaskSpec<R>
where
    A: 'static,
    F: FnOnce(A, TaskCtx) -> Fut + 'static,
    Fut: Future + 'static,
    R: Send + Sync + 'static,
{
    LocalTaskSpec::with_finish(name, args, start, finish)
}

/// `#[task(remote)]`: marks the function's spec as a call of `F` (the
/// type of the function's name), so [`TaskSpec::remote`] describes it:
/// `(&&RemoteMark::<F>::new()).mark(spec)`. Autoref picks
/// [`MarkRemote`] when `F` is a `RemoteFn`, else [`KeepSpec`], so a
/// function whose types cannot cross the wire gets only the macro's own
/// errors, not more from this call.
#[derive(Debug)]
pub struct RemoteMark<F>(core::marker::PhantomData<fn() -> F>);

impl<F> RemoteMark<F> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> RemoteMark<F> {
        RemoteMark(core::marker::PhantomData)
    }
}

/// Marks the spec (see [`RemoteMark`]).
pub trait MarkRemote {
    fn mark<R>(&self, spec: TaskSpec<R>) -> TaskSpec<R>;
}

impl<F: crate::rps::RemoteFn> MarkRemote for &RemoteMark<F> {
    fn mark<R>(&self, spec: TaskSpec<R>) -> TaskSpec<R> {
        spec.mark_remote::<F>()
    }
}

/// Leaves the spec as it is (see [`RemoteMark`]).
pub trait KeepSpec {
    fn mark<R>(&self, spec: TaskSpec<R>) -> TaskSpec<R> {
        spec
    }
}

impl<F> KeepSpec for RemoteMark<F> {}

/// The result of a task with an ordinary return type.
pub fn plain<T>(value: T) -> Result<T, TaskError> {
    Ok(value)
}

/// The result of a fallible task (`-> Result<T, E>`): `Err` fails the task.
///
/// # Errors
///
/// [`TaskError::Error`] with the error's text.
pub fn fallible<T, E: Display>(result: Result<T, E>) -> Result<T, TaskError> {
    result.map_err(|err| TaskError::Error(err.to_string()))
}

/// The success type of a fallible task's return type.
pub trait Fallible {
    /// What the task's handle yields.
    type Ok;
}

impl<T, E: Display> Fallible for Result<T, E> {
    type Ok = T;
}

/// What a `Task` parameter of a `#[task]` function accepts: any task
/// handle, typed or not.
pub trait IntoTask {
    /// The untyped handle.
    fn into_task(self) -> Task;
}

impl<R> IntoTask for Task<R> {
    fn into_task(self) -> Task {
        self.untyped()
    }
}

/// Task arguments move to the scheduler thread.
#[diagnostic::on_unimplemented(
    message = "task argument `{Self}` must be `Send + 'static`",
    label = "this argument is moved to the scheduler thread",
    note = "share data between tasks as owned values or `Arc<T>`; to share an `Rc<RefCell<_>>` between tasks of one scheduler, mark the task `#[task(local)]` and start it with `task.spawn_local(..)`"
)]
pub trait TaskArg {}

impl<T: Send + 'static> TaskArg for T {}

/// Checks one argument type (called by `#[task]` output).
pub fn assert_task_arg<T: TaskArg>() {}

/// Task results are shared with every monitor and waiter.
#[diagnostic::on_unimplemented(
    message = "task return type `{Self}` must be `Send + Sync + 'static`",
    label = "the value is shared with monitors and other threads",
    note = "return owned, thread-safe data (e.g. `String`, `Vec<T>`, `Arc<T>`)"
)]
pub trait TaskReturn {}

impl<T: Send + Sync + 'static> TaskReturn for T {}

/// Checks the return type (called by `#[task]` output).
pub fn assert_task_return<T: TaskReturn>() {}

/// `#[pycos::test]`: runs the test's task on a fresh scheduler and fails the
/// test (panics) with the task's failure.
///
/// # Panics
///
/// When the task fails: that fails the test.
pub fn run_test<R, M>(virtual_clock: bool, make: M)
where
    R: Send + Sync + 'static,
    M: FnOnce() -> TaskSpec<R>,
{
    let sched = Pycos::builder()
        .name("pycos-test")
        .virtual_clock(virtual_clock)
        .build()
        .unwrap_or_else(|err| panic!("cannot start a pycos scheduler: {err}"));
    let spec = make();
    let TaskSpec { erased, .. } = spec;
    let task = sched.spawn(TaskSpec::<Msg>::from_erased(erased));
    let result = task.value();
    if let Err(err) = sched.terminate() {
        panic!("{err}");
    }
    if let Err(err) = result {
        panic!("{err}");
    }
}

/// Makes `sched`'s thread fail as a bug in the scheduler would, so that
/// tests can check what its waiters and later spawns see. Never use it in
/// programs.
pub fn fail_scheduler(sched: &Pycos) {
    sched.shared.inject(crate::runtime::Injected::Fail);
}
