//! The scheduler: one thread per [`Pycos`], running its tasks one at a time
//! over a mio reactor and a timer queue.
//!
//! - `handle`: [`Pycos`], the public handle of a scheduler, and the
//!   process-wide instance.
//! - `builder`: [`Builder`], configuring and starting a scheduler.
//! - `shared`: `Shared`, the part of a scheduler other threads hold (the
//!   inject queue, its waker, the scheduler thread, live-task accounting
//!   for `join`, the registry, the hooks), and `Injected`, the work they
//!   hand to its thread.
//! - `registry`: `Registry`, a scheduler's names — registered tasks and
//!   open channels, in separate namespaces behind one lock — which
//!   `register`, `unregister` and `locate` of both go through.
//! - `scheduler`: the core loop on the scheduler thread (run queue, slab of
//!   task bodies, interrupts, task ends, shutdown).
//! - `schedule`: the runtime's half of the task ↔ scheduler contact: how a
//!   woken task gets back into its run queue.
//! - `inject`: every path by which other threads reach the scheduler.
//! - `reactor`: the mio `Poll` seam (I/O readiness, the cross-thread waker).
//! - `context`: the thread-local "which scheduler and task is this".
//! - `outside`: work on other threads that a virtual clock waits for.
//! - `coop`: the budget of ready awaits that keeps one busy task from
//!   freezing the others.
//! - `live`: counting live non-daemon tasks, for `join`.
//! - `local`: starting tasks that never leave the scheduler thread
//!   (`spawn_local`).
//! - `atexit`: the shutdown hooks of `finish`/`terminate` ([`AtexitId`]).
//! - `env`: settings read from the environment (`PYCOS_CLOCK`).
//! - `error`: [`SchedulerError`].

mod atexit;
mod builder;
pub(crate) mod context;
pub(crate) mod coop;
pub(crate) mod env;
mod error;
mod handle;
pub(crate) mod inject;
mod live;
mod local;
pub(crate) mod outside;
pub(crate) mod reactor;
mod registry;
mod schedule;
pub(crate) mod scheduler;
mod shared;
pub(crate) use schedule::schedule_woken;

pub use atexit::AtexitId;
pub use builder::Builder;
pub use error::SchedulerError;
pub use handle::Pycos;
pub(crate) use inject::RunFlag;
pub(crate) use shared::{Injected, Shared};
