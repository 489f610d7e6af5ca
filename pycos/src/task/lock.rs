//! [`StateLock`]: the lock around a task's shared state.
//!
//! What: a test-and-set lock; acquire is a compare-exchange, release a
//! plain store with `Release` ordering.
//!
//! Why: almost every operation on a task — `send`, each `receive`,
//! `resume`, the end — takes this lock once, nearly always uncontended
//! (the task's own scheduler thread), and holds it for a few instructions
//! without calling user code. `std::sync::Mutex` costs two locked
//! instructions per round trip there: a compare-exchange to lock and an
//! exchange to unlock (the unlock must learn whether a sleeper needs a
//! futex wake), and on these paths the two are most of the work. This lock
//! pays one locked instruction per round trip.
//!
//! Limits: a contender spins (then yields its time slice) instead of
//! sleeping, which is right only for short critical sections and rare
//! contention — the case here: other threads touch a task's state only to
//! send it something or to read its outcome. Threads that wait for a
//! task's *end* do so on a condition variable of their own, not here.
//! Like the runtime's other locks, this one cannot be poisoned: every
//! update of the state completes between statements.
//!
//! The `loom_*` tests below (`--cfg loom`, which swaps in loom's atomics
//! and checked cell) prove the exclusion and that an unlock publishes the
//! holder's writes to the next holder.

#[cfg(loom)]
use loom::{
    cell::{MutPtr, UnsafeCell},
    sync::atomic::{AtomicBool, Ordering},
};
#[cfg(not(loom))]
use std::{
    cell::UnsafeCell,
    sync::atomic::{AtomicBool, Ordering},
};

use std::ops::{Deref, DerefMut};

pub(crate) struct StateLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands out access to `value` to one thread at a time (the
// guard exists only while `locked` is held), so sharing the lock between
// threads shares `T` only as a `Mutex<T>` would: `T: Send` suffices.
unsafe impl<T: Send> Sync for StateLock<T> {}

impl<T> StateLock<T> {
    pub(crate) fn new(value: T) -> StateLock<T> {
        StateLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    pub(crate) fn lock(&self) -> StateGuard<'_, T> {
        if self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        StateGuard {
            lock: self,
            #[cfg(loom)]
            access: Some(self.value.get_mut()),
        }
    }

    #[cold]
    fn lock_contended(&self) {
        let mut spins = 0_u32;
        loop {
            while self.locked.load(Ordering::Relaxed) {
                back_off(&mut spins);
            }
            if self
                .locked
                .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }
}

/// Lets the holder run: spins briefly, then yields the time slice.
#[cfg(not(loom))]
fn back_off(spins: &mut u32) {
    if *spins < 100 {
        *spins += 1;
        std::hint::spin_loop();
    } else {
        std::thread::yield_now();
    }
}

/// Under loom a spinning thread must hand over to the holder at once, or
/// the model never ends.
#[cfg(loom)]
fn back_off(_spins: &mut u32) {
    loom::thread::yield_now();
}

/// Access to the locked value; unlocks when dropped.
pub(crate) struct StateGuard<'a, T> {
    lock: &'a StateLock<T>,
    /// Under loom, the checked access to the value for as long as the lock
    /// is held: loom panics if another access overlaps it or is not ordered
    /// after it (taken before the unlock in `drop`).
    #[cfg(loom)]
    access: Option<MutPtr<T>>,
}

impl<T> Deref for StateGuard<'_, T> {
    type Target = T;

    #[cfg(not(loom))]
    fn deref(&self) -> &T {
        // SAFETY: this guard holds the lock (acquired in `lock`, released in
        // `drop`), so no other reference to the value exists meanwhile.
        unsafe { &*self.lock.value.get() }
    }

    #[cfg(loom)]
    fn deref(&self) -> &T {
        let access = self.access.as_ref().expect("held until drop");
        // SAFETY: as above; loom checks the exclusion.
        unsafe { access.deref() }
    }
}

impl<T> DerefMut for StateGuard<'_, T> {
    #[cfg(not(loom))]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference
        // handed out by this guard.
        unsafe { &mut *self.lock.value.get() }
    }

    #[cfg(loom)]
    fn deref_mut(&mut self) -> &mut T {
        let access = self.access.as_ref().expect("held until drop");
        // SAFETY: as above; loom checks the exclusion.
        unsafe { access.deref() }
    }
}

impl<T> Drop for StateGuard<'_, T> {
    fn drop(&mut self) {
        #[cfg(loom)]
        drop(self.access.take());
        self.lock.locked.store(false, Ordering::Release);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::StateLock;
    use std::sync::Arc;

    #[test]
    fn threads_take_turns() {
        let lock = Arc::new(StateLock::new(0_u64));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let lock = lock.clone();
                std::thread::spawn(move || {
                    for _ in 0..100_000 {
                        *lock.lock() += 1;
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(*lock.lock(), 400_000);
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    use super::StateLock;
    use loom::sync::Arc;

    /// Two threads increment under the lock: neither update is lost, and
    /// loom's checked cell proves the two critical sections never overlap.
    #[test]
    fn loom_state_lock_excludes() {
        loom::model(|| {
            let lock = Arc::new(StateLock::new(0_u32));
            let other = {
                let lock = lock.clone();
                loom::thread::spawn(move || *lock.lock() += 1)
            };
            *lock.lock() += 1;
            other.join().unwrap();
            assert_eq!(*lock.lock(), 2);
        });
    }

    /// What one holder writes before unlocking, the next holder sees: the
    /// release store of the unlock pairs with the acquire of the lock,
    /// for the locked value (loom's checked cell) and for memory outside it
    /// (a relaxed atomic, which loom may show stale without that edge).
    /// The reader looks once rather than spinning, so the model stays
    /// finite; loom runs both orders.
    #[test]
    fn loom_state_lock_handover_publishes() {
        use loom::sync::atomic::{AtomicU32, Ordering};
        loom::model(|| {
            let lock = Arc::new(StateLock::new((0_u32, false)));
            let beside = Arc::new(AtomicU32::new(0));
            let writer = {
                let (lock, beside) = (lock.clone(), beside.clone());
                loom::thread::spawn(move || {
                    beside.store(7, Ordering::Relaxed);
                    let mut state = lock.lock();
                    *state = (42, true);
                })
            };
            let (value, written) = *lock.lock();
            if written {
                assert_eq!(value, 42);
                assert_eq!(beside.load(Ordering::Relaxed), 7);
            }
            writer.join().unwrap();
        });
    }
}
