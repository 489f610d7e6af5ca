//! Tasks: specs, handles, the injected context, mailboxes, interrupts,
//! monitoring.

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
pub(crate) use error::Reason;
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
