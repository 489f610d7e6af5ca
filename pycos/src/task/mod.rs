//! Tasks: specs, handles, the injected context, mailboxes, interrupts,
//! monitoring.
//!
//! # Design
//!
//! A task is two pieces. Its **body** (the `#[task]` function's future,
//! built from its [`TaskSpec`] on the scheduler thread) lives in the
//! scheduler's slab and only that thread touches it, so it need not be
//! `Send`. Its **header** (`header/`) is shared: every [`Task`] handle,
//! waker and [`TaskCtx`] is an `Arc` of it.
//!
//! | header part | who writes it | how |
//! | --- | --- | --- |
//! | run flag | wakers (any thread) claim it, the scheduler releases it before a poll | atomic swap: a task is queued at most once |
//! | slot, pause record | the scheduler thread, and the task's own points during its poll | relaxed atomics, one thread at a time |
//! | interrupt flag | `throw`/`terminate`/`hot_swap` (any thread) | set after the interrupt is stored, cleared when none is left |
//! | state: outcome, mailbox, suspension, rare part | anyone, under the task's `StateLock` | short critical sections, never user code inside |
//!
//! The state lock is held for a few instructions and never while user
//! code runs: predicates, destructors of messages and of swapped-out
//! arguments run after it is released. Each kind of wait has its own waker
//! slot (receive, suspend, finish), so a wake-up ends only the wait it
//! belongs to.
//!
//! Where interrupts apply is decided by the pure functions of [`pause`]:
//! terminations at any await, throws at top-level awaits of the body,
//! swaps only at the task's own pycos waits (never inside a helper it
//! awaits). A task that has not run yet is at such a point, so nothing of
//! it runs before an interrupt aimed at it.
//!
//! A header may also be a proxy of a task on another node (`crate::remote`):
//! its operations go to the scheduler's hook instead of its own state.

mod ctx;
mod error;
mod finish;
mod handle;
pub(crate) mod header;
pub(crate) mod interrupt;
mod local;
mod lock;
mod mailbox;
mod monitor;
pub(crate) mod pause;
pub(crate) mod spec;
mod suspend;
mod yield_now;

pub use ctx::TaskCtx;
pub use error::{
    ErrorText, NotAlive, RegisterError, SendError, TaskError, TaskErrorKind, ThrowError,
    ThrownError, ValueError,
};
pub use finish::Finish;
pub use handle::Task;
pub use interrupt::{Catch, HotSwap, Interrupt, Point};
pub use mailbox::{Receive, ReceiveMatching};
pub use monitor::MonitorStatus;
pub use spec::{LocalTaskSpec, TaskSpec};
pub use suspend::Suspend;
pub use yield_now::YieldNow;
