//! What a task's lock guards: its outcome, mailbox, suspension, and the
//! rarely used part.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::task::Waker;

use super::{Interrupts, Proxied};
use crate::Msg;
use crate::task::{Task, TaskError};
use crate::util::{lock, unpoison};

#[derive(Default)]
pub(crate) struct State {
    /// A literal or interned name (see `crate::id`), so that `name()` can
    /// lend it past the lock.
    pub(crate) name: &'static str,
    pub(crate) outcome: Option<Outcome>,
    /// Created by the first message or `receive`: tasks that never receive
    /// (most spawned workers, sleepers) save 40 bytes.
    pub(crate) inbox: Option<Box<Inbox>>,
    pub(crate) suspension: Suspension,
    pub(crate) hot_swappable: bool,
    pub(crate) daemon: bool,
    pub(super) rare: Option<Box<Rare>>,
}

/// How a task ended, as stored: errors boxed, so that the slot takes 24
/// bytes instead of 32 in every task's state (which, with the other
/// trims, brings the header allocation into a smaller size class).
pub(crate) struct Outcome(Result<Msg, Box<TaskError>>);

impl Outcome {
    pub(super) fn new(outcome: Result<Msg, TaskError>) -> Outcome {
        Outcome(outcome.map_err(Box::new))
    }

    /// A copy of the outcome (a message clone is a reference count).
    pub(crate) fn get(&self) -> Result<Msg, TaskError> {
        self.0.clone().map_err(|err| *err)
    }
}

/// A task's mailbox and the waker of its `receive`.
#[derive(Default)]
pub(crate) struct Inbox {
    pub(crate) mailbox: VecDeque<Msg>,
    pub(crate) receiver: Option<Waker>,
}

impl Inbox {
    /// Capacity a drained mailbox may keep (a few pages of `Msg`s).
    const KEEP: usize = 1024;

    /// Takes the message at `at` (the oldest at 0). A mailbox that has
    /// drained to a quarter of its capacity gives half of it back, so a
    /// burst does not keep its peak memory for the task's life; halving
    /// moves at most a quarter of the capacity, which the pops since the
    /// last shrink paid for.
    pub(crate) fn take(&mut self, at: usize) -> Option<Msg> {
        let msg = if at == 0 {
            self.mailbox.pop_front()
        } else {
            self.mailbox.remove(at)
        }?;
        let capacity = self.mailbox.capacity();
        if capacity > Self::KEEP && self.mailbox.len() < capacity / 4 {
            self.mailbox.shrink_to(capacity / 2);
        }
        Some(msg)
    }
}

/// A task's `suspend` wait: the waker of the suspended task, then the
/// update that a `resume` hands it.
#[derive(Default)]
pub(crate) enum Suspension {
    #[default]
    Idle,
    Waiting(Waker),
    Resumed(Msg),
}

/// The parts of a task's state that most tasks never use.
#[derive(Default)]
pub(crate) struct Rare {
    pub(crate) interrupts: Interrupts,
    pub(crate) monitors: Vec<Task>,
    pub(crate) finish_waiters: FinishWaiters,
    pub(crate) names: Vec<String>,
    /// Set and signalled when the task ends; created by the first thread
    /// that blocks in `value()`.
    pub(crate) done: Option<Arc<Done>>,
    /// What a proxy stands for (see `crate::remote`); kept past the end.
    pub(crate) remote: Option<Box<Proxied>>,
    /// Whether peers may reach the task by id (`remote::export`).
    pub(crate) exported: bool,
}

/// What threads blocked in `value()` wait on: a flag set once, when the
/// task ends (they cannot sleep on the spinning state lock itself).
#[derive(Debug, Default)]
pub(crate) struct Done {
    ended: Mutex<bool>,
    signal: Condvar,
}

impl Done {
    pub(super) fn set(&self) {
        *lock(&self.ended) = true;
        self.signal.notify_all();
    }

    /// Waits until set; `false` if `limit` passed first.
    pub(crate) fn wait(&self, limit: Option<std::time::Duration>) -> bool {
        let ended = lock(&self.ended);
        let not_yet = |ended: &mut bool| !*ended;
        match limit {
            None => {
                drop(self.signal.wait_while(ended, not_yet));
                true
            }
            Some(limit) => {
                let (ended, _) = unpoison(self.signal.wait_timeout_while(ended, limit, not_yet));
                *ended
            }
        }
    }
}

/// Tasks waiting in `finish` for this one. Usually there is one (a task
/// joining the handles it spawned): it is kept without allocating, where a
/// `Vec` would cost one allocation per awaited task.
#[derive(Default)]
pub(crate) enum FinishWaiters {
    #[default]
    None,
    One(Waker),
    Many(Vec<Waker>),
}

impl FinishWaiters {
    /// Adds `waker` unless an equivalent one waits already.
    pub(crate) fn add(&mut self, waker: &Waker) {
        match self {
            FinishWaiters::None => *self = FinishWaiters::One(waker.clone()),
            FinishWaiters::One(first) if first.will_wake(waker) => {}
            FinishWaiters::One(_) => {
                if let FinishWaiters::One(first) = std::mem::take(self) {
                    *self = FinishWaiters::Many(vec![first, waker.clone()]);
                }
            }
            FinishWaiters::Many(all) => {
                if !all.iter().any(|w| w.will_wake(waker)) {
                    all.push(waker.clone());
                }
            }
        }
    }

    pub(super) fn wake_all(self) {
        match self {
            FinishWaiters::None => {}
            FinishWaiters::One(waker) => waker.wake(),
            FinishWaiters::Many(all) => all.into_iter().for_each(Waker::wake),
        }
    }
}

impl State {
    /// The mailbox, created on first use.
    pub(crate) fn inbox(&mut self) -> &mut Inbox {
        self.inbox.get_or_insert_with(Box::default)
    }

    /// The rarely used parts, created on first use.
    pub(crate) fn rare(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Box::default)
    }

    /// The rarely used parts, if any was ever used.
    pub(crate) fn rare_ref(&self) -> Option<&Rare> {
        self.rare.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::Inbox;
    use crate::Msg;

    #[test]
    fn a_drained_mailbox_gives_its_capacity_back() {
        let mut inbox = Inbox::default();
        for i in 0..100_000_u32 {
            inbox.mailbox.push_back(Msg::new(i));
        }
        let peak = inbox.mailbox.capacity();
        for i in 0..100_000_u32 {
            let msg = inbox.take(0).expect("queued");
            assert_eq!(msg.downcast_ref::<u32>(), Some(&i), "order is kept");
        }
        assert!(
            inbox.mailbox.capacity() <= 4 * Inbox::KEEP,
            "capacity {} of {peak} kept after draining",
            inbox.mailbox.capacity()
        );
    }

    #[test]
    fn selective_takes_keep_the_others_in_order() {
        let mut inbox = Inbox::default();
        for i in 0..10_u32 {
            inbox.mailbox.push_back(Msg::new(i));
        }
        assert_eq!(inbox.take(3).unwrap().downcast_ref::<u32>(), Some(&3));
        let rest: Vec<u32> = inbox
            .mailbox
            .iter()
            .map(|m| *m.downcast_ref().unwrap())
            .collect();
        assert_eq!(rest, [0, 1, 2, 4, 5, 6, 7, 8, 9]);
    }
}
