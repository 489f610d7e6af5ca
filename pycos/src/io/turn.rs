//! [`Turn`]: first-come, first-served admission of one operation at a time
//! to one direction of a descriptor.
//!
//! pycos keeps one read and one write continuation per descriptor, and a
//! second task reading the same socket silently replaces the first one's
//! (PYCOS-FEATURES §7, "Notifier detail"). Here operations queue instead:
//! two tasks sending framed messages to one socket never interleave their
//! bytes, and the reactor's single waker per direction always belongs to the
//! one operation that is waiting.
//!
//! Every asynchronous operation starts by entering a turn, so [`enter`] is
//! also where an operation charges its task's cooperative budget
//! ([`charge`]), before it touches any data: an operation that finds the
//! budget spent gives way once and consumes nothing.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use super::error::{check_in_task, timed_out};
use super::wait::{Deadline, Mode, charge};
use crate::time::WaitExt;
use crate::util::lock;

/// A queue of operations for one direction.
#[derive(Debug, Default)]
pub(crate) struct Turn {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    held: bool,
    next_ticket: u64,
    queue: VecDeque<(u64, Waker)>,
    /// The ticket the turn was handed to, until its future takes it.
    granted: Option<u64>,
}

impl Turn {
    /// Waits for this direction to be free; the guard frees it.
    pub(crate) fn acquire(&self) -> Acquire<'_> {
        Acquire {
            turn: self,
            ticket: None,
        }
    }

    /// Hands the turn to the next waiter, or frees it.
    fn pass_on(&self) {
        let mut state = lock(&self.state);
        match state.queue.pop_front() {
            Some((ticket, waker)) => {
                state.granted = Some(ticket);
                drop(state);
                waker.wake();
            }
            None => state.held = false,
        }
    }
}

/// Takes `turn` for an operation waiting in `mode`, within `deadline`.
/// Blocking operations (plain threads) do not queue: `None`.
pub(crate) async fn enter<'a>(
    turn: &'a Turn,
    mode: Mode,
    deadline: &Deadline,
) -> io::Result<Option<TurnGuard<'a>>> {
    if mode == Mode::Blocking {
        return Ok(None);
    }
    // Every asynchronous operation starts here: fail early outside tasks,
    // before any wait would need the scheduler's timers.
    check_in_task()?;
    // Before the time limit starts to count: giving way is not waiting, and
    // a zero limit ("try once") must still try.
    charge().await;
    match deadline.remaining() {
        None => Ok(Some(turn.acquire().await)),
        Some(left) => match turn.acquire().timeout(left).await {
            Some(guard) => Ok(Some(guard)),
            None => Err(timed_out()),
        },
    }
}

/// Holds a [`Turn`] until dropped.
#[derive(Debug)]
pub(crate) struct TurnGuard<'a> {
    turn: &'a Turn,
}

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        self.turn.pass_on();
    }
}

/// The future of [`Turn::acquire`].
#[derive(Debug)]
pub(crate) struct Acquire<'a> {
    turn: &'a Turn,
    ticket: Option<u64>,
}

impl<'a> Future for Acquire<'a> {
    type Output = TurnGuard<'a>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<TurnGuard<'a>> {
        let turn = self.turn;
        let mut state = lock(&turn.state);
        match self.ticket {
            None if !state.held => {
                state.held = true;
                Poll::Ready(TurnGuard { turn })
            }
            None => {
                let ticket = state.next_ticket;
                state.next_ticket += 1;
                state.queue.push_back((ticket, cx.waker().clone()));
                drop(state);
                self.ticket = Some(ticket);
                Poll::Pending
            }
            Some(ticket) if state.granted == Some(ticket) => {
                state.granted = None;
                drop(state);
                self.ticket = None;
                Poll::Ready(TurnGuard { turn })
            }
            Some(ticket) => {
                if let Some((_, waker)) = state.queue.iter_mut().find(|(t, _)| *t == ticket) {
                    waker.clone_from(cx.waker());
                }
                Poll::Pending
            }
        }
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        let Some(ticket) = self.ticket else {
            return;
        };
        let mut state = lock(&self.turn.state);
        if state.granted == Some(ticket) {
            // Handed the turn but gone before taking it: pass it on.
            state.granted = None;
            drop(state);
            self.turn.pass_on();
        } else {
            state.queue.retain(|(t, _)| *t != ticket);
        }
    }
}
