//! The scheduler's clock: the system's monotonic clock, or a virtual one that
//! only moves when the scheduler jumps it to the next timer.

use std::cell::Cell;
use std::time::Instant;

#[derive(Debug)]
pub(crate) enum Clock {
    Real { start: Instant },
    Virtual { now: Cell<u64> },
}

impl Clock {
    pub(crate) fn new(virtual_clock: bool) -> Clock {
        if virtual_clock {
            Clock::Virtual { now: Cell::new(0) }
        } else {
            Clock::Real {
                start: Instant::now(),
            }
        }
    }

    /// Nanoseconds since the scheduler started.
    pub(crate) fn now(&self) -> u64 {
        match self {
            Clock::Real { start } => u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX),
            Clock::Virtual { now } => now.get(),
        }
    }

    pub(crate) fn is_virtual(&self) -> bool {
        matches!(self, Clock::Virtual { .. })
    }

    /// Moves a virtual clock forward to `to`; a real clock cannot be moved.
    pub(crate) fn advance_to(&self, to: u64) {
        if let Clock::Virtual { now } = self {
            now.set(now.get().max(to));
        }
    }
}
