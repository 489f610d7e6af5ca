//! Small helpers the whole crate shares, each written once.
//!
//! - [`lock`]: a mutex lock that recovers from poisoning.
//! - [`set_waker`], [`replace_waker`]: keep the newest waker of a wait,
//!   cloning only when it changed.

mod mutex;
mod waker;

pub(crate) use mutex::{lock, unpoison};
pub(crate) use waker::{replace_waker, set_waker};
