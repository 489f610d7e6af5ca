//! The fairness tests' harness (`#[path = "support/fairness.rs"] mod
//! fairness;`): a busy task whose waits all complete at once, and a second
//! task queued right behind it that shows whether the busy one gave way. No
//! timing is involved: the second task runs exactly when the busy one goes
//! to the back of the queue.
//!
//! Two forms:
//! - a *witness*, started by the busy task itself, which then asks whether
//!   it has run ([`start_witness`]);
//! - an *observer*, started beside a busy task that counts its operations,
//!   which records how many had happened when it first ran ([`observer`],
//!   [`race`]), checked against the budget by [`check`].
#![allow(dead_code, reason = "each test file uses a subset")]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pycos::{Task, TaskSpec};

/// Far more ready waits than any cooperative budget allows in one turn.
pub(crate) const READY_WAITS: usize = 10_000;

/// Operations a counted busy task does when nothing stops it: well above
/// the budget of one turn.
pub(crate) const OPS: usize = 2_000;

/// The most a busy task may do before the observer runs: the budget (128
/// per turn), with room to change it.
pub(crate) const BOUND: usize = 512;

/// Starts a witness behind the calling task; `true` once it has run.
pub(crate) fn start_witness() -> impl Fn() -> bool {
    let ran = Arc::new(AtomicBool::new(false));
    Task::new(TaskSpec::new(
        "witness",
        ran.clone(),
        |ran, _task| async move {
            ran.store(true, Ordering::SeqCst);
        },
    ));
    move || ran.load(Ordering::SeqCst)
}

/// A task that records `count` when it first runs.
pub(crate) fn observer(count: Arc<AtomicUsize>) -> TaskSpec<usize> {
    TaskSpec::new("observer", count, |count, _task| async move {
        count.load(Ordering::SeqCst)
    })
}

/// Starts the busy task `busy(count)` and an observer of `count` behind it
/// (both queued before either runs); gives what the observer saw and the
/// busy task's result, once both have finished.
pub(crate) async fn race<R: Send + Sync + Clone + 'static>(
    busy: impl FnOnce(Arc<AtomicUsize>) -> TaskSpec<R>,
) -> (usize, R) {
    let count = Arc::new(AtomicUsize::new(0));
    let busy = Task::new(busy(count.clone()));
    let seen = Task::new(observer(count)).finish().await.unwrap();
    (seen, busy.finish().await.unwrap())
}

/// Fails unless the observer, having seen `seen` of the busy task's
/// [`OPS`] operations (`what`), ran before their end and within [`BOUND`].
pub(crate) fn check(seen: usize, what: &str) {
    assert!(
        seen < OPS,
        "the observer ran only after all {OPS} {what}: the busy task never gave way"
    );
    assert!(
        seen <= BOUND,
        "the observer ran after {seen} {what}, more than the bound of {BOUND}"
    );
}
