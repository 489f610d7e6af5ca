//! Requests waiting for a peer's reply: a callback per request id, and a
//! one-shot slot for the callers that await the answer.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::proto::Answer;
use crate::util::lock;

/// Why a request got no answer.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// The peer is not reachable (the text names it and why).
    Unreachable(String),
    /// No answer within the deadline: the outcome is unknown.
    TimedOut,
}

/// What to do with a request's answer (or failure): called exactly once.
/// Dropping it unanswered answers "unreachable", so no waiter is left
/// hanging; drop one only where its callback may run (never under a
/// peer's lock).
pub(crate) struct Reply(Option<OnAnswer>);

/// A request's callback.
type OnAnswer = Box<dyn FnOnce(Result<Answer, Failure>) + Send>;

impl Reply {
    pub(crate) fn new(f: impl FnOnce(Result<Answer, Failure>) + Send + 'static) -> Reply {
        Reply(Some(Box::new(f)))
    }

    /// Drops the callback without calling it: its caller gave up.
    pub(crate) fn discard(mut self) {
        self.0.take();
    }

    /// Hands the answer over.
    pub(crate) fn answer(mut self, answer: Result<Answer, Failure>) {
        if let Some(f) = self.0.take() {
            f(answer);
        }
    }
}

impl Drop for Reply {
    fn drop(&mut self) {
        if let Some(f) = self.0.take() {
            f(Err(Failure::Unreachable(
                "the link closed before the answer came".to_owned(),
            )));
        }
    }
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reply")
    }
}

/// A one-shot slot: the reply callback fills it, [`Answered`] waits on it.
#[derive(Debug, Default)]
struct Slot {
    value: Option<Result<Answer, Failure>>,
    waker: Option<Waker>,
}

/// The waiting side of a request.
#[derive(Debug)]
pub(crate) struct Answered {
    slot: Arc<Mutex<Slot>>,
}

/// A reply callback and the future it completes.
pub(crate) fn oneshot() -> (Reply, Answered) {
    let slot = Arc::new(Mutex::new(Slot::default()));
    let filler = slot.clone();
    let reply = Reply::new(move |answer| {
        let waker = {
            let mut slot = lock(&filler);
            slot.value = Some(answer);
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    });
    (reply, Answered { slot })
}

impl Future for Answered {
    type Output = Result<Answer, Failure>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = lock(&self.slot);
        match slot.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
