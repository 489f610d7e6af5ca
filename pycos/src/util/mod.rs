//! Small helpers the whole crate shares, each written once.
//!
//! - [`lock`]: a mutex lock that recovers from poisoning.

mod mutex;

pub(crate) use mutex::{lock, unpoison};
