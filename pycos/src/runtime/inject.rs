//! Every cross-thread path of the runtime, in one place.
//!
//! In a one-thread scheduler only two things cross threads: work injected by
//! other threads (spawns, wake-ups of tasks from foreign wakers, shutdown
//! requests) and the wake-up of the parked scheduler itself. Both go through
//! [`Inject`]: a mutex-protected queue plus a `notified` flag that makes only
//! the first pusher after a drain pay for the (system call) unpark.
//!
//! The protocol, checked by the `loom_*` tests below:
//! - a pusher appends under the lock, *then* sets `notified`; if it was the
//!   one to set it, it unparks the scheduler;
//! - the scheduler clears `notified`, *then* takes the queue under the lock.
//!
//! An item pushed before the clear is taken by the drain that follows it; an
//! item pushed after it finds `notified` clear and unparks. So no item waits
//! while the scheduler sleeps. After [`close`](Inject::close), pushes fail and
//! hand the item back, so nothing is silently lost on a stopped scheduler.

#[cfg(loom)]
use loom::sync::{
    Mutex,
    atomic::{AtomicBool, Ordering},
};
#[cfg(not(loom))]
use std::sync::{
    Mutex,
    atomic::{AtomicBool, Ordering},
};

use std::collections::VecDeque;

use crate::util::unpoison;

#[derive(Debug)]
pub(crate) struct Inject<T> {
    queue: Mutex<Queue<T>>,
    notified: AtomicBool,
}

#[derive(Debug)]
struct Queue<T> {
    items: VecDeque<T>,
    closed: bool,
}

/// What a successful push asks of the pusher.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Pushed {
    /// The scheduler may be parked: unpark it.
    Unpark,
    /// The scheduler has been told already.
    Queued,
}

impl<T> Inject<T> {
    pub(crate) fn new() -> Inject<T> {
        Inject {
            queue: Mutex::new(Queue {
                items: VecDeque::new(),
                closed: false,
            }),
            notified: AtomicBool::new(false),
        }
    }

    /// Queues `item` for the scheduler thread.
    ///
    /// # Errors
    ///
    /// The item itself when the queue was closed (the scheduler stopped).
    pub(crate) fn push(&self, item: T) -> Result<Pushed, T> {
        {
            let mut queue = unpoison(self.queue.lock());
            if queue.closed {
                return Err(item);
            }
            queue.items.push_back(item);
        }
        if self.notified.swap(true, Ordering::SeqCst) {
            Ok(Pushed::Queued)
        } else {
            Ok(Pushed::Unpark)
        }
    }

    /// Moves everything queued into `out` (scheduler thread).
    pub(crate) fn drain_into(&self, out: &mut VecDeque<T>) {
        if !self.notified.load(Ordering::SeqCst) {
            return;
        }
        self.notified.store(false, Ordering::SeqCst);
        out.append(&mut unpoison(self.queue.lock()).items);
    }

    /// Whether a push happened since the last drain: the scheduler must not park.
    pub(crate) fn is_notified(&self) -> bool {
        self.notified.load(Ordering::SeqCst)
    }

    /// Refuses further pushes and returns what is still queued.
    pub(crate) fn close(&self) -> VecDeque<T> {
        let mut queue = unpoison(self.queue.lock());
        queue.closed = true;
        std::mem::take(&mut queue.items)
    }
}

/// The "already queued" flag of a task: a wake-up claims it and queues the
/// task; the scheduler releases it just before polling, so a wake-up that
/// arrives during the poll queues the task again instead of being lost.
#[derive(Debug, Default)]
pub(crate) struct RunFlag(AtomicBool);

impl RunFlag {
    /// Whether this caller must queue the task (it was not queued yet).
    pub(crate) fn claim(&self) -> bool {
        !self.0.swap(true, Ordering::AcqRel)
    }

    /// Marks the task as not queued; called right before it is polled.
    ///
    /// A read-modify-write, not a store: when a waker's `claim` found the
    /// flag still set (and so did not queue the task), this swap reads the
    /// value that claim wrote and thereby synchronizes with it, so the poll
    /// that follows sees whatever the waker published before waking. A plain
    /// store gives no such edge (`loom_wake_during_poll_is_not_lost` fails).
    pub(crate) fn release(&self) {
        self.0.swap(false, Ordering::AcqRel);
    }

    /// Marks a task queued without a wake-up (a newly spawned task).
    pub(crate) fn set(&self) {
        self.0.store(true, Ordering::Release);
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    use super::{Inject, Pushed};
    use loom::sync::{Arc, Notify};
    use std::collections::VecDeque;

    /// Two foreign threads push while the scheduler drains and parks: the
    /// scheduler must see both items without ever sleeping on a pending one.
    #[test]
    fn loom_inject_never_loses_a_wakeup() {
        loom::model(|| {
            let inject = Arc::new(Inject::new());
            let unpark = Arc::new(Notify::new());
            let pushers: Vec<_> = (0..2)
                .map(|i| {
                    let (inject, unpark) = (inject.clone(), unpark.clone());
                    loom::thread::spawn(move || {
                        if inject.push(i).unwrap() == Pushed::Unpark {
                            unpark.notify();
                        }
                    })
                })
                .collect();
            let mut got = VecDeque::new();
            while got.len() < 2 {
                inject.drain_into(&mut got);
                if got.len() < 2 && !inject.is_notified() {
                    unpark.wait();
                }
            }
            for pusher in pushers {
                pusher.join().unwrap();
            }
        });
    }

    /// A foreign thread records an event and wakes a task that is being
    /// polled concurrently: some poll after the wake must see the event.
    #[test]
    fn loom_wake_during_poll_is_not_lost() {
        use super::RunFlag;
        use loom::sync::atomic::{AtomicBool, Ordering};
        loom::model(|| {
            let inject = Arc::new(Inject::new());
            let unpark = Arc::new(Notify::new());
            let flag = Arc::new(RunFlag::default());
            let event = Arc::new(AtomicBool::new(false));
            flag.set(); // the task starts queued on the scheduler
            let waker = {
                let (inject, unpark, flag, event) =
                    (inject.clone(), unpark.clone(), flag.clone(), event.clone());
                loom::thread::spawn(move || {
                    event.store(true, Ordering::SeqCst);
                    if flag.claim() && inject.push(()).unwrap() == Pushed::Unpark {
                        unpark.notify();
                    }
                })
            };
            let mut queued = VecDeque::from([()]);
            loop {
                if queued.pop_front().is_some() {
                    flag.release();
                    if event.load(Ordering::SeqCst) {
                        break;
                    }
                    continue;
                }
                inject.drain_into(&mut queued);
                if queued.is_empty() && !inject.is_notified() {
                    unpark.wait();
                }
            }
            waker.join().unwrap();
        });
    }

    /// A push racing with close either lands before the close (and is
    /// returned by it) or is handed back to the pusher: never lost.
    #[test]
    fn loom_close_hands_back_late_pushes() {
        loom::model(|| {
            let inject = Arc::new(Inject::new());
            let pusher = {
                let inject = inject.clone();
                loom::thread::spawn(move || inject.push(7).is_err())
            };
            let left = inject.close();
            let refused = pusher.join().unwrap();
            assert_eq!(left.len() + usize::from(refused), 1);
        });
    }
}
