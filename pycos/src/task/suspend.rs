//! [`Suspend`]: waiting for a `resume`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::header::Header;
use crate::Msg;

/// The wait made by [`TaskCtx::suspend`](crate::TaskCtx::suspend): ends with
/// the update given to [`Task::resume`](crate::Task::resume). Only a resume
/// ends it; messages stay queued.
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug)]
pub struct Suspend {
    header: Arc<Header>,
    waiting: bool,
}

impl Suspend {
    pub(crate) fn new(header: Arc<Header>) -> Suspend {
        Suspend {
            header,
            waiting: false,
        }
    }
}

impl Future for Suspend {
    type Output = Msg;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Msg> {
        let this = self.get_mut();
        let mut state = this.header.lock();
        if this.waiting {
            if let Some(update) = state.update.take() {
                this.waiting = false;
                return Poll::Ready(update);
            }
        } else {
            state.update = None;
            this.waiting = true;
        }
        state.suspender = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Suspend {
    fn drop(&mut self) {
        if self.waiting {
            let mut state = self.header.lock();
            state.suspender = None;
            state.update = None;
        }
    }
}
