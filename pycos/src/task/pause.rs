//! Where a task's body paused, and which pending interrupt applies there.
//!
//! The rules (pycos' semantics, with Rust's `.await` as the `yield`):
//! - `terminate` applies at any await: the body is dropped there.
//! - A thrown error applies at a top-level await of the body (an
//!   interruption point), unless that await is inside a `.catch()` and the
//!   error is still catchable: then the `.catch()` receives it.
//! - A hot swap applies only at a top-level await that is the task's own
//!   pycos wait (receive, sleep, suspend, ...), never while the body awaits
//!   a helper `async fn` or block: pycos swaps only when the task's
//!   sub-generators have returned. A swap the task has not accepted also
//!   needs `hot_swappable(true)` and no `.catch()` there (a `.catch()`
//!   receives it instead).
//! - A task that has not run yet is at an interruption point of its own:
//!   interrupts apply before any of its code runs.
//!
//! [`decide`], [`catchable`] and [`must_stop_at`] are the whole decision,
//! as pure functions over named states, tested by a table below.

/// Where the body last paused. Kept in one byte of the task's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Pause(u8);

impl Pause {
    /// Inside a nested await (a helper's, an `async` block's), or running.
    pub(crate) const NESTED: Pause = Pause(0);
    /// A top-level await of the body: an interruption point.
    pub(crate) const POINT: Pause = Pause(1);
    /// A top-level await of one of the task's own pycos waits.
    pub(crate) const OWN_WAIT: Pause = Pause(1 | 2);
    /// Not started: no code of the task has run.
    pub(crate) const UNSTARTED: Pause = Pause::OWN_WAIT;
    const CATCHING: u8 = 4;

    /// The same place, inside a `.catch()` wait.
    pub(crate) fn catching(self) -> Pause {
        Pause(self.0 | Self::CATCHING)
    }

    /// Both places at once (a `.catch()` inside a top-level await).
    pub(crate) fn and(self, other: Pause) -> Pause {
        Pause(self.0 | other.0)
    }

    fn at_point(self) -> bool {
        self.0 & Pause::POINT.0 != 0
    }

    fn at_own_wait(self) -> bool {
        self.0 & Pause::OWN_WAIT.0 == Pause::OWN_WAIT.0
    }

    fn is_catching(self) -> bool {
        self.0 & Self::CATCHING != 0
    }

    pub(crate) fn bits(self) -> u8 {
        self.0
    }

    pub(crate) fn from_bits(bits: u8) -> Pause {
        Pause(bits)
    }
}

/// A pending thrown error or swap: may a `.catch()` still take it?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pending {
    /// Fresh: a `.catch()` may take it.
    Catchable,
    /// Rethrown, or a swap the task accepted: it only waits for its place.
    Committed,
}

/// What is pending on a task, as the decision needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Outstanding {
    pub(crate) terminate: bool,
    /// The oldest thrown error.
    pub(crate) thrown: Option<Pending>,
    pub(crate) swap: Option<Pending>,
    pub(crate) hot_swappable: bool,
}

/// What the scheduler does with a task that paused at `pause`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Terminate,
    Throw,
    Swap,
    /// Nothing applies here: leave (or poll) the body.
    Continue,
}

/// The interrupt that applies where the body paused.
pub(crate) fn decide(pause: Pause, pending: Outstanding) -> Decision {
    if pending.terminate {
        return Decision::Terminate;
    }
    if !pause.at_point() {
        return Decision::Continue;
    }
    let catching = pause.is_catching();
    match pending.thrown {
        Some(Pending::Committed) => return Decision::Throw,
        Some(Pending::Catchable) if !catching => return Decision::Throw,
        _ => {}
    }
    let swap_applies = match pending.swap {
        Some(Pending::Committed) => true,
        Some(Pending::Catchable) => pending.hot_swappable && !catching,
        None => false,
    };
    if swap_applies && pause.at_own_wait() {
        Decision::Swap
    } else {
        Decision::Continue
    }
}

/// What a `.catch()` wait receives instead of waiting.
pub(crate) fn catchable(pending: Outstanding) -> Decision {
    if pending.thrown == Some(Pending::Catchable) {
        Decision::Throw
    } else if pending.swap == Some(Pending::Catchable) && pending.hot_swappable {
        Decision::Swap
    } else {
        Decision::Continue
    }
}

/// Whether a top-level await at `pause` must stop before polling its wait,
/// because an interrupt that no `.catch()` may take applies there (so the
/// wait does not take, say, a message it would then lose).
pub(crate) fn must_stop_at(pause: Pause, pending: Outstanding) -> bool {
    pending.terminate
        || pending.thrown == Some(Pending::Committed)
        || (pending.swap == Some(Pending::Committed) && pause.at_own_wait())
}

#[cfg(test)]
mod tests {
    use super::Decision::{Continue, Swap, Terminate, Throw};
    use super::Pending::{Catchable, Committed};
    use super::{Decision, Outstanding, Pause, Pending, catchable, decide, must_stop_at};

    fn pending(
        terminate: bool,
        thrown: Option<Pending>,
        swap: Option<Pending>,
        hot_swappable: bool,
    ) -> Outstanding {
        Outstanding {
            terminate,
            thrown,
            swap,
            hot_swappable,
        }
    }

    #[test]
    fn decision_table() {
        let own = Pause::OWN_WAIT;
        let point = Pause::POINT;
        let nested = Pause::NESTED;
        #[rustfmt::skip]
        let table: &[(Pause, Outstanding, Decision)] = &[
            // terminate applies anywhere
            (nested, pending(true, None, None, false), Terminate),
            (own.catching(), pending(true, Some(Catchable), None, true), Terminate),
            // throws: at any interruption point, unless caught there
            (nested, pending(false, Some(Catchable), None, false), Continue),
            (nested, pending(false, Some(Committed), None, false), Continue),
            (point, pending(false, Some(Catchable), None, false), Throw),
            (own, pending(false, Some(Catchable), None, false), Throw),
            (own.catching(), pending(false, Some(Catchable), None, false), Continue),
            (own.catching(), pending(false, Some(Committed), None, false), Throw),
            (Pause::UNSTARTED, pending(false, Some(Catchable), None, false), Throw),
            // a throw goes before a swap
            (own, pending(false, Some(Catchable), Some(Catchable), true), Throw),
            // swaps: only at the task's own waits
            (own, pending(false, None, Some(Catchable), true), Swap),
            (own, pending(false, None, Some(Catchable), false), Continue),
            (own.catching(), pending(false, None, Some(Catchable), true), Continue),
            (own, pending(false, None, Some(Committed), false), Swap),
            (own.catching(), pending(false, None, Some(Committed), false), Swap),
            (point, pending(false, None, Some(Catchable), true), Continue),
            (point, pending(false, None, Some(Committed), true), Continue),
            (nested, pending(false, None, Some(Committed), true), Continue),
            // nothing pending
            (own, pending(false, None, None, true), Continue),
        ];
        for (i, &(pause, interrupts, expected)) in table.iter().enumerate() {
            assert_eq!(
                decide(pause, interrupts),
                expected,
                "row {i}: {pause:?} {interrupts:?}"
            );
        }
    }

    #[test]
    fn catch_table() {
        #[rustfmt::skip]
        let table: &[(Outstanding, Decision)] = &[
            (pending(false, Some(Catchable), None, false), Throw),
            (pending(false, Some(Committed), None, false), Continue),
            (pending(false, None, Some(Catchable), true), Swap),
            (pending(false, None, Some(Catchable), false), Continue),
            (pending(false, None, Some(Committed), true), Continue),
            (pending(true, None, None, true), Continue),
            (pending(false, Some(Catchable), Some(Catchable), true), Throw),
        ];
        for (i, &(interrupts, expected)) in table.iter().enumerate() {
            assert_eq!(catchable(interrupts), expected, "row {i}: {interrupts:?}");
        }
    }

    #[test]
    fn stop_table() {
        #[rustfmt::skip]
        let table: &[(Pause, Outstanding, bool)] = &[
            (Pause::POINT, pending(true, None, None, false), true),
            (Pause::POINT, pending(false, Some(Committed), None, false), true),
            (Pause::POINT, pending(false, Some(Catchable), None, false), false),
            (Pause::POINT, pending(false, None, Some(Committed), true), false),
            (Pause::OWN_WAIT, pending(false, None, Some(Committed), true), true),
            (Pause::OWN_WAIT, pending(false, None, Some(Catchable), true), false),
        ];
        for (i, &(pause, interrupts, expected)) in table.iter().enumerate() {
            assert_eq!(
                must_stop_at(pause, interrupts),
                expected,
                "row {i}: {pause:?} {interrupts:?}"
            );
        }
    }
}
