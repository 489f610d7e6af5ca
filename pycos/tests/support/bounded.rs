//! Bounded waits for the sync and channel tests
//! (`#[path = "support/bounded.rs"] mod bounded;`): a wait that a broken
//! primitive would never end fails the test with a message instead of
//! hanging it. On the virtual clock the bound costs no real time.
#![allow(dead_code, reason = "each test file uses a subset")]

use std::future::Future;

use pycos::WaitExt;

/// The limit of a bounded wait, in seconds (virtual or real).
pub(crate) const LIMIT: f64 = 100.0;

/// Waits for `wait` at most [`LIMIT`]; panics naming `what` if it does not
/// end in time.
pub(crate) async fn within<F: Future>(what: &str, wait: F) -> F::Output {
    match wait.timeout(LIMIT).await {
        Some(output) => output,
        None => panic!("{what} did not happen within {LIMIT} s"),
    }
}

/// The scheduler's clock, in seconds.
pub(crate) fn now() -> f64 {
    pycos::time::now().expect("on a scheduler thread")
}
