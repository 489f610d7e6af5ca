//! Receiving: [`Receive`] takes the oldest message, [`ReceiveMatching`] the
//! oldest one a predicate accepts (Erlang's selective receive), leaving the
//! others queued in their order.
//!
//! A wait remembers whether it left its waker in the task's `receiver` slot,
//! so that the common case — a message already queued, the future dropped
//! right after — locks the task's state once rather than twice: `Drop`
//! locks only to take back a waker it left, which is the hot path of every
//! message exchange.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::header::Header;
use super::interrupt::PycosWait;
use crate::Msg;
use crate::runtime::coop;
use crate::util::set_waker;

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
        match state.take(0) {
            Some(msg) => {
                if registered {
                    state.receiver = None;
                }
                Poll::Ready(msg)
            }
            None => {
                set_waker(&mut state.receiver, cx.waker());
                this.registered = true;
                Poll::Pending
            }
        }
    }
}

impl PycosWait for Receive {}

impl Drop for Receive {
    fn drop(&mut self) {
        if self.registered
            && let Some(inbox) = self.header.lock().inbox.as_deref_mut()
        {
            inbox.receiver = None;
        }
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

    /// Offers the unscanned messages to the predicate one at a time. The
    /// predicate is user code and may touch this very task (even print it),
    /// so it runs on a copy of the message (a reference count) without the
    /// task's lock held. Only this task takes messages out of its mailbox,
    /// and it is busy here, so a message stays at its index meanwhile:
    /// others only append.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Msg> {
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        loop {
            let candidate = {
                let mut state = this.header.lock();
                let inbox = state.inbox();
                match inbox.mailbox.get(this.scanned) {
                    Some(msg) => msg.clone(),
                    None => {
                        set_waker(&mut inbox.receiver, cx.waker());
                        this.registered = true;
                        return Poll::Pending;
                    }
                }
            };
            if !(this.predicate)(&candidate) {
                this.scanned += 1;
                continue;
            }
            let mut state = this.header.lock();
            let inbox = state.inbox();
            if std::mem::take(&mut this.registered) {
                inbox.receiver = None;
            }
            let at = std::mem::take(&mut this.scanned);
            let at = if inbox.mailbox.get(at).is_some_and(|m| m.ptr_eq(&candidate)) {
                Some(at)
            } else {
                inbox.mailbox.iter().position(|m| m.ptr_eq(&candidate))
            };
            if let Some(msg) = at.and_then(|at| inbox.take(at)) {
                return Poll::Ready(msg);
            }
            // Taken meanwhile (cannot happen today): scan again.
        }
    }
}

impl<P: FnMut(&Msg) -> bool + Unpin> PycosWait for ReceiveMatching<P> {}

impl<P> Drop for ReceiveMatching<P> {
    fn drop(&mut self) {
        if self.registered
            && let Some(inbox) = self.header.lock().inbox.as_deref_mut()
        {
            inbox.receiver = None;
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
