//! Procedural macros of [pycos]: `#[task]`, `#[pycos::main]` and `#[pycos::test]`.
//!
//! Use them through the `pycos` crate, which re-exports them; this crate is an
//! implementation detail and its generated code only calls `::pycos::…`.
//!
//! Each macro is parse → validate → expand in its own module: `task` for
//! `#[task]`, `entry` for `#[pycos::main]` and `#[pycos::test]`. Every
//! problem is reported as a spanned `compile_error!` next to a best-effort
//! expansion, so editors keep working on the item.
//!
//! [pycos]: https://docs.rs/pycos

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod diag;
mod entry;
mod options;
mod render;
mod task;

#[cfg(test)]
mod tests;

/// Turns a function into a pycos task: calling it returns a `TaskSpec` (the
/// function's name and arguments, nothing runs yet) that `Task::new` starts.
///
/// ```ignore
/// use pycos::prelude::*;
///
/// #[task]
/// fn client_proc(server: Task, n: u32, task: TaskCtx) {
///     for x in 0..3 {
///         task.sleep(0.5).await;            // a yield point
///         let _ = server.send(format!("{n} / {x}"));
///     }
/// }
///
/// let client = Task::new(client_proc(server.clone(), 1));
/// ```
///
/// The function may be written as `fn` or `async fn`; either way its
/// `.await`s are its yield points, and every `.await` of the body itself (not
/// in nested closures, `async` blocks, items or macro calls) is an
/// *interruption point* where `throw`, `terminate` and an accepted
/// `hot_swap` take effect.
///
/// * The parameter named `task`, of type `TaskCtx`, is injected by the
///   scheduler and left out of the generated function. It may be absent.
/// * Every other argument is moved to the scheduler thread: it must be
///   `Send + 'static` (owned: `String`, not `&str`; `Arc<T>` to share).
/// * The return value `R` is the task's result: the function returns
///   `TaskSpec<R>`. A return type named `Result` (`Result<T, E>`,
///   `io::Result<T>`, `anyhow::Result<T>`) makes the task *fallible*: it
///   returns `TaskSpec<T>`, and an `Err(e)` fails the task with
///   `TaskError::Error(e.to_string())`.
///
/// Known misuse is a compile error naming the non-blocking replacement:
/// blocking calls on the scheduler thread (`std::thread::sleep`, stdin,
/// std sockets, `Task::value()`, `Pycos::join/finish/terminate`),
/// self-only operations on another task's handle (`other.receive()`), and
/// pycos operations that are never awaited (`task.sleep(1.0);`). Closures and
/// `async` blocks passed straight to `spawn`, `spawn_blocking` or
/// `async_task` run on another thread and are not checked.
///
/// # Options
///
/// `#[task(crate = "path::to::pycos")]` names the `pycos` crate when it is
/// not a direct dependency called `pycos`.
#[proc_macro_attribute]
pub fn task(attr: TokenStream, item: TokenStream) -> TokenStream {
    task::expand(attr.into(), item.into()).into()
}

/// Marks the program's `main`: runs its body, then waits for every
/// non-daemon task of `Pycos::instance()` and ends the daemons.
///
/// ```ignore
/// #[pycos::main]
/// fn main() {
///     let server = Task::new(server_proc());
///     Task::new(client_proc(server, 1));
/// } // waits for client_proc here
/// ```
///
/// `main` stays a plain `fn` (it may return `Result<(), E>`); tasks are
/// started with `Task::new`.
///
/// # Options
///
/// `crate = "path::to::pycos"`, as for [`macro@task`].
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::main(attr.into(), item.into()).into()
}

/// Runs a task as a `#[test]` on a fresh scheduler; the test fails when the
/// task fails (panic, `Err`, thrown error, termination).
///
/// ```ignore
/// #[pycos::test(virtual_clock)]
/// async fn sleeps_in_virtual_time(task: TaskCtx) {
///     assert!(task.sleep(3600.0).await.is_none()); // returns at once
/// }
/// ```
///
/// The function takes no argument but the injected `task: TaskCtx` and
/// returns `()` or `Result<(), E>`. Other attributes (`#[should_panic]`,
/// `#[ignore]`) apply to the generated test.
///
/// # Options
///
/// * `virtual_clock`: the scheduler's clock jumps to the next timer whenever
///   every task waits, so timers are tested without real sleeping.
/// * `crate = "path::to::pycos"`, as for [`macro@task`].
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::test(attr.into(), item.into()).into()
}
