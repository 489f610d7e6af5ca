//! Receiving: [`Receive`] takes the oldest message, [`ReceiveMatching`] the
//! oldest one a predicate accepts (Erlang's selective receive), leaving the
//! others queued in their order.
//!
//! A wait remembers whether it left its waker in the task's `receiver` slot,
//! so that the common case — a message already queued, the future dropped
//! right after — locks the task's state once rather than twice: the
//! unconditional lock in `Drop` was 4.7 % of the ping-pong benchmark's
//! samples.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use super::header::Header;
use crate::Msg;
use crate::runtime::coop;

/// The wait made by [`TaskCtx::receive`](crate::TaskCtx::receive).
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug)]
pub struct Receive {
    header: Arc<Header>,
    /// Whether this wait's waker is in the `receiver` slot.
    registered: bool,
}

impl Receive {
    pub(crate) fn new(header: Arc<Header>) -> Receive {
        Receive {
            header,
            registered: false,
        }
    }
}

impl Future for Receive {
    type Output = Msg;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Msg> {
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        let mut state = this.header.lock();
        let state = state.inbox();
        let registered = std::mem::take(&mut this.registered);
        match state.mailbox.pop_front() {
            Some(msg) => {
                if registered {
                    state.receiver = None;
                }
                Poll::Ready(msg)
            }
            None => {
                register(&mut state.receiver, cx);
                this.registered = true;
                Poll::Pending
            }
        }
    }
}

impl Drop for Receive {
    fn drop(&mut self) {
        if self.registered {
            if let Some(inbox) = self.header.lock().inbox.as_deref_mut() {
                inbox.receiver = None;
            }
        }
    }
}

/// Leaves `cx`'s waker in `slot`, unless an equivalent one is there.
fn register(slot: &mut Option<Waker>, cx: &Context<'_>) {
    match slot {
        Some(waker) if waker.will_wake(cx.waker()) => {}
        slot => *slot = Some(cx.waker().clone()),
    }
}

/// The wait made by
/// [`TaskCtx::receive_matching`](crate::TaskCtx::receive_matching).
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
pub struct ReceiveMatching<P> {
    header: Arc<Header>,
    predicate: P,
    /// Messages before this index were already rejected by the predicate.
    scanned: usize,
    /// Whether this wait's waker is in the `receiver` slot.
    registered: bool,
}

impl<P: FnMut(&Msg) -> bool> ReceiveMatching<P> {
    pub(crate) fn new(header: Arc<Header>, predicate: P) -> ReceiveMatching<P> {
        ReceiveMatching {
            header,
            predicate,
            scanned: 0,
            registered: false,
        }
    }
}

impl<P: FnMut(&Msg) -> bool + Unpin> Future for ReceiveMatching<P> {
    type Output = Msg;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Msg> {
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        let mut state = this.header.lock();
        let state = state.inbox();
        // Messages are only ever appended while we wait, so earlier ones
        // need no second look.
        let start = this.scanned.min(state.mailbox.len());
        let found = state
            .mailbox
            .iter()
            .skip(start)
            .position(|m| (this.predicate)(m));
        match found {
            Some(offset) => {
                this.scanned = 0;
                if std::mem::take(&mut this.registered) {
                    state.receiver = None;
                }
                Poll::Ready(
                    state
                        .mailbox
                        .remove(start + offset)
                        .expect("index is in range"),
                )
            }
            None => {
                this.scanned = state.mailbox.len();
                register(&mut state.receiver, cx);
                this.registered = true;
                Poll::Pending
            }
        }
    }
}

impl<P> Drop for ReceiveMatching<P> {
    fn drop(&mut self) {
        if self.registered {
            if let Some(inbox) = self.header.lock().inbox.as_deref_mut() {
                inbox.receiver = None;
            }
        }
    }
}

impl<P> std::fmt::Debug for ReceiveMatching<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiveMatching")
            .field("scanned", &self.scanned)
            .finish()
    }
}
