//! # pycos for Rust
//!
//! pycos' concurrency model — tasks that look like threads, switch only at
//! marked points and talk through mailboxes — as a Rust library with
//! compile-time checks.
//!
//! A task is a function marked [`#[task]`](macro@task). Its `.await`s are its
//! yield points: the only places where the scheduler may run another task.
//! The parameter named `task` is injected: it is the task's own
//! [`TaskCtx`], used to receive messages, sleep and suspend. Calling the
//! function gives a [`TaskSpec`]; [`Task::new`] starts it and returns a
//! [`Task`] handle that others use to send it messages, resume it, throw into
//! it, terminate it, or wait for its value.
//!
//! ```
//! use pycos::prelude::*;
//!
//! #[task]
//! fn server(task: TaskCtx) {
//!     task.set_daemon(true);
//!     loop {
//!         let msg = task.receive().await; // pycos: msg = yield task.receive()
//!         if let Some(text) = msg.downcast_ref::<String>() {
//!             println!("received {text}");
//!         }
//!     }
//! }
//!
//! #[task]
//! fn client(server: Task, n: u32, task: TaskCtx) {
//!     for x in 0..3 {
//!         task.sleep(0.01).await; // seconds, or a Duration
//!         server.send(format!("{n} / {x}")).unwrap();
//!     }
//! }
//!
//! #[pycos::main]
//! fn main() {
//!     let server = Task::new(server());
//!     for i in 0..3 {
//!         Task::new(client(server.clone(), i));
//!     }
//! } // waits for the clients; the daemon server is then ended
//! ```
//!
//! ## Depending on it
//!
//! The crates are not on crates.io yet: depend on `pycos` from a checkout
//! of its repository, by path (or with `git = "…"` on the repository). It
//! re-exports the macros, so it is the only dependency a program needs.
//!
//! ```toml
//! [dependencies]
//! pycos = { path = "../pycos-rs/pycos" }
//! ```
//!
//! ## The tour
//!
//! - **Scheduler.** Each [`Pycos`] is one thread running one task at a
//!   time, over a mio reactor and a timer heap; an idle scheduler sleeps in
//!   the kernel. [`Pycos::instance`] is the process-wide one; tests build
//!   their own, optionally on a virtual clock (`#[pycos::test(virtual_clock)]`)
//!   so that timers take no real time.
//! - **Messages.** [`Msg`] carries any `Send + Sync` value, shared rather
//!   than copied. [`Task::send`] never blocks; messages from one sender arrive
//!   in order; one that cannot be sent comes back in a [`SendError`], whose
//!   `is_*` queries say why. [`TaskCtx::receive`] takes the oldest,
//!   [`TaskCtx::receive_matching`] the oldest one a predicate accepts.
//! - **Waiting.** Every wait takes a time limit the same way,
//!   [`.timeout(t)`](WaitExt::timeout), with seconds or a `Duration`; zero
//!   means "try once". A wake-up ends only the wait it belongs to: a `send`
//!   does not end a `sleep`, a `resume` does not end a `receive`.
//! - **Ending.** A task's [`finish`](Task::finish) (in tasks) and
//!   [`value`](Task::value) (in threads) give its typed return value or a
//!   [`TaskError`]: error, panic, uncaught throw, termination. Monitors
//!   receive a [`MonitorStatus`]. A panicking task never takes the scheduler
//!   down.
//! - **Interrupts.** [`Task::throw`], [`Task::terminate`] and
//!   [`Task::hot_swap`] act at a task's interruption points (its top-level
//!   awaits); [`.catch()`](WaitExt::catch) lets the task handle a throw or
//!   decline a swap there.
//! - **Across the wire.** A payload type with `#[derive(Message)]` (and
//!   serde's derives) gets a stable wire name and a registration, so a
//!   [`Msg`] holding one can be encoded with any serde format; handles
//!   cross as references. See [`message`]. A `#[task(remote)]` function
//!   can be created by name on another node from serialized arguments,
//!   with a typed proxy on the caller's side; see [`rps`].
//! - **Coordinating.** A [`Channel`] broadcasts to subscribed tasks and
//!   channels; [`Lock`], [`RLock`], [`Condition`], [`Event`] and
//!   [`Semaphore`] coordinate tasks across awaits;
//!   [`CategorizeMessages`] receives by category; an [`AsyncThreadPool`]
//!   runs blocking calls off the scheduler thread.
//! - **I/O.** [`AsyncSocket`] (TCP/UDP, IPv4/IPv6, TLS, pycos' framed
//!   `send_msg`/`recv_msg`), [`AsyncFile`] (pipes, FIFOs, sockets, files)
//!   and [`AsyncPipe`] (child processes) make waiting for the system an
//!   ordinary await in a task; see [`io`].
//! - **Shared state.** Tasks of one scheduler run one at a time, so they
//!   may share `Rc<RefCell<_>>` as pycos tasks share objects: a
//!   [`#[task(local)]`](macro@task) function takes non-`Send` arguments and
//!   gives a [`LocalTaskSpec`], started with [`TaskCtx::spawn_local`] on the
//!   calling task's own scheduler.
//! - **Programs.** [`#[pycos::main]`](macro@main) waits for the tasks at the
//!   end of `main`, as pycos does at exit, prints an `Err` from `main` with
//!   its causes (exit status 1), and logs to stderr: warnings and errors by
//!   default, such as a task that fails while nobody waits for it, with the
//!   filter from `PYCOS_LOG`, else `RUST_LOG` (`tracing`'s
//!   `EnvFilter` syntax: `PYCOS_LOG=pycos=debug,warn`). It installs no logger
//!   when the program already has a global `tracing` subscriber, or with
//!   `#[pycos::main(log = false)]` for one that sets its own in `main`.
//!   `PYCOS_CLOCK=virtual` runs the program on virtual time.
//! - **Misuse does not compile**: a pycos wait that is not awaited, a
//!   self-only operation on another task's handle, a blocking call such as
//!   `std::thread::sleep` in a task body, borrowed or non-`Send` arguments
//!   of an ordinary task. A spec that is never started, or a wait dropped
//!   outside a task body, gets a warning that says what to write.
//!
//! ## Dependencies
//!
//! Beside `mio` (the reactor), `rustix` (system calls), `rustls` (TLS) and
//! `tracing` (events), `pycos` uses `tracing-subscriber`, with only its `fmt`
//! and `env-filter` features, for the logger of `#[pycos::main]`: the
//! failures pycos logs are then visible to a newcomer without extra setup,
//! filtered with the `RUST_LOG` syntax Rust users know, and a program needs
//! no logging dependency of its own.
#![deny(unsafe_op_in_unsafe_fn)]
#![doc(test(attr(deny(warnings))))]
#![warn(missing_docs)]

#[doc(hidden)]
pub mod __private;
mod categorize;
pub mod channel;
mod id;
pub mod io;
pub mod message;
mod msg;
mod panic;
pub mod pool;
pub mod prelude;
mod registry;
#[doc(hidden)]
pub mod remote;
pub mod rps;
mod runtime;
pub mod sync;
mod task;
pub mod time;
mod undelivered;
mod util;

pub use categorize::{CategorizeMessages, CategorizerId};
pub use channel::{Channel, Subscriber};
pub use id::{ChannelId, TaskId};
pub use io::{AsyncFile, AsyncPipe, AsyncSocket};
/// The trait and its derive share one name, as serde's do.
pub use message::Message;
pub use msg::Msg;
pub use pool::AsyncThreadPool;
pub use pycos_macros::{Message, main, task, test};
pub use runtime::{AtexitId, Builder, Pycos, SchedulerError};
pub use sync::{Condition, Event, Lock, NotOwner, RLock, Semaphore};
pub use task::{
    Catch, ErrorText, Finish, HotSwap, Interrupt, LocalTaskSpec, MonitorStatus, NotAlive, Point,
    Receive, ReceiveMatching, RegisterError, SendError, Suspend, Task, TaskCtx, TaskError,
    TaskErrorKind, TaskSpec, ThrowError, ThrownError, ValueError, YieldNow,
};
pub use time::{IntoTimeout, Timeout, WaitExt};
pub use undelivered::{SendTarget, ToChannel, ToTask, Undelivered};

/// Code in Markdown kept outside this crate's items, run as doctests here.
#[cfg(doctest)]
mod markdown_doctests {
    /// The README: its tour keeps compiling as pasted.
    #[doc = include_str!("../../README.md")]
    pub struct Readme;

    /// The macros' docs (`pycos-macros` cannot depend on `pycos`, so their
    /// examples run here; see `pycos-macros/src/docs/`).
    #[doc = include_str!("../../pycos-macros/src/docs/task.md")]
    pub struct TaskMacro;

    /// `#[pycos::main]`.
    #[doc = include_str!("../../pycos-macros/src/docs/main.md")]
    pub struct MainMacro;

    /// `#[pycos::test]`.
    #[doc = include_str!("../../pycos-macros/src/docs/test.md")]
    pub struct TestMacro;

    /// `#[derive(Message)]`.
    #[doc = include_str!("../../pycos-macros/src/docs/message.md")]
    pub struct MessageDerive;
}

#[cfg(test)]
mod auto_traits {
    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn handles_cross_threads() {
        send_sync::<crate::Task>();
        send_sync::<crate::Task<u32>>();
        send_sync::<crate::Pycos>();
        send_sync::<crate::Msg>();
        // Shared between tasks (and threads) behind an `Arc`.
        send_sync::<crate::AsyncSocket>();
        send_sync::<crate::AsyncFile>();
        send_sync::<crate::Channel>();
        send_sync::<crate::Lock>();
        send_sync::<crate::Condition>();
        fn send<T: Send>() {}
        send::<crate::TaskSpec<u32>>();
    }
}

/// The sizes the design notes promise (as tokio's `header_lte_cache_line`):
/// a million sleeping tasks are a million of each of these, so growth must
/// be a decision, not an accident.
#[cfg(test)]
mod sizes {
    /// A handle is one `Arc`: cloning it into messages and registries is a
    /// reference-count increment.
    #[test]
    fn task_handle_is_one_pointer() {
        assert_eq!(size_of::<crate::Task>(), 8);
        assert_eq!(size_of::<Option<crate::Task>>(), 8);
    }

    /// 120 bytes (136 with the `Arc` counts) sits in glibc's 144-byte
    /// allocation class; the next class is 160 bytes, so a field added
    /// here costs every task (see `task/header.rs` for what is boxed away).
    #[test]
    fn task_header_fits_its_size_class() {
        assert!(size_of::<crate::task::header::Header>() <= 120);
    }

    /// What `task.sleep(..)` keeps in every sleeping task's body: the
    /// suspension (header and a flag), the limit and deadline as `u64`
    /// nanoseconds, and the timer key.
    #[test]
    fn sleep_future_is_six_words() {
        assert!(size_of::<crate::Timeout<crate::Suspend>>() <= 48);
    }
}
