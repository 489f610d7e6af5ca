//! Errors of scheduler operations.

use std::error::Error;
use std::fmt;

/// Why a scheduler-wide wait (`join`, `finish`, `terminate`) was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchedulerError {
    /// Called from one of the scheduler's own tasks, where waiting would
    /// deadlock: the scheduler cannot wait for itself. Call it from another
    /// thread (e.g. `main`), or await tasks' `finish()` inside tasks.
    OnSchedulerThread,
    /// The scheduler thread died (a bug in the scheduler, logged with its
    /// reason); its tasks ended with
    /// [`TaskError::SchedulerDied`](crate::TaskError::SchedulerDied) and it
    /// refuses new ones.
    Died,
}

impl fmt::Display for SchedulerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchedulerError::OnSchedulerThread => f.write_str(
                "called on the scheduler's own thread, which would deadlock; \
                 call it from another thread, or await `task.finish()` in tasks",
            ),
            SchedulerError::Died => {
                f.write_str("the scheduler thread died; its tasks ended with an error")
            }
        }
    }
}

impl Error for SchedulerError {}

/// `PYCOS_CLOCK` holds a value that names no clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClockEnvError {
    /// The value found, as text (lossy if it was not UTF-8).
    pub(crate) value: String,
}

impl fmt::Display for ClockEnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PYCOS_CLOCK={:?} names no clock; accepted values: `real`, `virtual`",
            self.value
        )
    }
}

impl Error for ClockEnvError {}
