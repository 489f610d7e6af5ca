//! Errors of pool jobs.

use std::error::Error;
use std::fmt;

/// Why a job of an [`AsyncThreadPool`](crate::AsyncThreadPool) gave no
/// result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PoolError {
    /// The job panicked on its pool thread; the panic message. (pycos throws
    /// the job's exception into the task.)
    Panicked(String),
    /// The job was submitted after [`terminate`](crate::AsyncThreadPool::terminate).
    Terminated,
}

impl PoolError {
    /// Whether the job panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self, PoolError::Panicked(_))
    }
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolError::Panicked(text) => write!(f, "pool job panicked: {text}"),
            PoolError::Terminated => f.write_str("thread pool was terminated; job not run"),
        }
    }
}

impl Error for PoolError {}
