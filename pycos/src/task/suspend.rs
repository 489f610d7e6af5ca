//! [`Suspend`]: waiting for a `resume`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::header::{Header, Suspension};
use super::interrupt::PycosWait;
use crate::Msg;
use crate::runtime::coop;
use crate::util::replace_waker;

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
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        let mut state = this.header.lock();
        if !this.waiting {
            // An update left by an earlier, abandoned suspension is stale
            // (a user value: dropped after unlocking).
            let stale = std::mem::take(&mut state.suspension);
            if !matches!(stale, Suspension::Idle) {
                drop(state);
                drop(stale);
                state = this.header.lock();
            }
            this.waiting = true;
        }
        match &mut state.suspension {
            Suspension::Resumed(_) => {
                let Suspension::Resumed(update) = std::mem::take(&mut state.suspension) else {
                    unreachable!("matched just above");
                };
                this.waiting = false;
                Poll::Ready(update)
            }
            Suspension::Waiting(held) => {
                replace_waker(held, cx.waker());
                Poll::Pending
            }
            slot => {
                *slot = Suspension::Waiting(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl PycosWait for Suspend {}

impl Drop for Suspend {
    fn drop(&mut self) {
        if self.waiting {
            let update = std::mem::take(&mut self.header.lock().suspension);
            drop(update);
        }
    }
}
