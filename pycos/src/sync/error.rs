//! Errors of the locking primitives.

use std::error::Error;
use std::fmt;

/// A [`Lock`](crate::Lock), [`RLock`](crate::RLock) or
/// [`Condition`](crate::Condition) was released (or waited on) by a task
/// that does not hold it, or more often than it was acquired.
///
/// pycos raises `RuntimeError` here; the primitive is left unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotOwner;

impl fmt::Display for NotOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("lock released by a task that does not hold it")
    }
}

impl Error for NotOwner {}
