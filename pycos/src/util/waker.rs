//! Keeping the waker of a pending wait.
//!
//! A future must wake the waker of its latest poll, which changes when a
//! future moves between tasks or is polled by a combinator with its own
//! waker. Cloning a waker on every poll costs a reference-count update on a
//! shared cache line; `will_wake` compares without cloning, so the clone is
//! paid only when the waker really changed.

use std::task::Waker;

/// Leaves `waker` in `slot`, unless an equivalent one is there.
pub(crate) fn set_waker(slot: &mut Option<Waker>, waker: &Waker) {
    match slot {
        Some(held) => replace_waker(held, waker),
        None => *slot = Some(waker.clone()),
    }
}

/// Replaces `held` by `waker`, unless they wake the same task.
pub(crate) fn replace_waker(held: &mut Waker, waker: &Waker) {
    if !held.will_wake(waker) {
        *held = waker.clone();
    }
}
