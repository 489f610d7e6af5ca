//! [`WaitExt`]: the methods every wait gets, a time limit first.
//!
//! The trait lives here, with the [`Timeout`] it builds, so code that only
//! bounds waits (`io`, `sync`) depends on `time` and not on `task`.
//! [`catch`](WaitExt::catch) is an interrupt matter: its future,
//! [`Catch`], stays with interrupts in `task::interrupt`, and this trait only
//! calls its constructor. One trait rather than a second one for `catch`:
//! `use pycos::WaitExt;` (or the prelude) keeps bringing both methods, so
//! code that imported it for either keeps compiling, and a program needs
//! one name, not two.

use std::future::Future;

use super::{IntoTimeout, Timeout};
use crate::task::Catch;

/// Time limits and interrupt handling for every wait (any future, including
/// ones from other crates, awaited inside a task).
pub trait WaitExt: Future + Sized {
    /// Bounds the wait: `Some(output)`, or `None` if `limit` passed first.
    /// A limit of zero (or less) tries once without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn nothing_arrives(task: TaskCtx) -> bool {
    ///     task.receive().timeout(0.5).await.is_none()
    /// }
    ///
    /// let sched = Pycos::builder().virtual_clock(true).build()?;
    /// assert!(sched.spawn(nothing_arrives()).value()?);
    /// sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn timeout(self, limit: impl IntoTimeout) -> Timeout<Self> {
        Timeout::new(self, limit.into_timeout())
    }

    /// Catches an interrupt that arrives during this wait: the wait ends with
    /// `Err(Interrupt)` instead of the task ending or being swapped.
    fn catch(self) -> Catch<Self> {
        Catch::new(self)
    }
}

impl<F: Future> WaitExt for F {}
