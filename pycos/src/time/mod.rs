//! Time: the scheduler's clock (real or virtual), its timer queue, and the
//! [`Timeout`] combinator that gives every wait a time limit, through
//! [`WaitExt::timeout`].
//!
//! Times inside the runtime are nanoseconds since the scheduler started, as
//! `u64` (584 years of range). The clock is per scheduler: a scheduler built
//! with [`Builder::virtual_clock`](crate::Builder::virtual_clock) does not read
//! the system clock at all; when every task is waiting it jumps straight to the
//! next timer, so timer behaviour is tested without sleeping.

mod clock;
mod duration;
mod ext;
mod timeout;
mod timers;

pub(crate) use clock::Clock;
pub use duration::IntoTimeout;
pub(crate) use duration::as_nanos;
pub use ext::WaitExt;
pub use timeout::Timeout;
pub(crate) use timers::{TimerKey, Timers};

/// Seconds since the current scheduler started, on its clock (real or
/// virtual), or `None` outside a scheduler thread.
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn clock_jumps(task: TaskCtx) -> f64 {
///     let before = pycos::time::now().unwrap();
///     task.sleep(100.0).await; // no real time on a virtual clock
///     pycos::time::now().unwrap() - before
/// }
///
/// let sched = Pycos::builder().virtual_clock(true).build()?;
/// assert!(sched.spawn(clock_jumps()).value()? >= 100.0);
/// sched.finish()?;
/// assert_eq!(pycos::time::now(), None); // not on a scheduler thread
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn now() -> Option<f64> {
    crate::runtime::context::with_core(|core| core.clock.now() as f64 / 1e9)
}
