//! Receiving: [`Receive`] takes the oldest message, [`ReceiveMatching`] the
//! oldest one a predicate accepts (Erlang's selective receive), leaving the
//! others queued in their order.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::header::Header;
use crate::Msg;

/// The wait made by [`TaskCtx::receive`](crate::TaskCtx::receive).
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug)]
pub struct Receive {
    header: Arc<Header>,
}

impl Receive {
    pub(crate) fn new(header: Arc<Header>) -> Receive {
        Receive { header }
    }
}

impl Future for Receive {
    type Output = Msg;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Msg> {
        let mut state = self.header.lock();
        match state.mailbox.pop_front() {
            Some(msg) => Poll::Ready(msg),
            None => {
                state.receiver = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl Drop for Receive {
    fn drop(&mut self) {
        self.header.lock().receiver = None;
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
}

impl<P: FnMut(&Msg) -> bool> ReceiveMatching<P> {
    pub(crate) fn new(header: Arc<Header>, predicate: P) -> ReceiveMatching<P> {
        ReceiveMatching {
            header,
            predicate,
            scanned: 0,
        }
    }
}

impl<P: FnMut(&Msg) -> bool + Unpin> Future for ReceiveMatching<P> {
    type Output = Msg;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Msg> {
        let this = self.get_mut();
        let mut state = this.header.lock();
        // Messages are only ever appended while we wait, so earlier ones
        // need no second look.
        let start = this.scanned.min(state.mailbox.len());
        let found = state.mailbox.iter().skip(start).position(|m| (this.predicate)(m));
        match found {
            Some(offset) => {
                this.scanned = 0;
                Poll::Ready(state.mailbox.remove(start + offset).expect("index is in range"))
            }
            None => {
                this.scanned = state.mailbox.len();
                state.receiver = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<P> Drop for ReceiveMatching<P> {
    fn drop(&mut self) {
        self.header.lock().receiver = None;
    }
}

impl<P> std::fmt::Debug for ReceiveMatching<P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiveMatching").field("scanned", &self.scanned).finish()
    }
}
