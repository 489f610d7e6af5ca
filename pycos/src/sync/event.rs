//! [`Event`]: a flag tasks wait for (pycos' `Event`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use super::waiters::{WaiterKey, Waiters, wake_all};
use crate::runtime::coop;

#[derive(Debug, Default)]
struct State {
    flag: bool,
    waiters: Waiters,
}

/// A flag that tasks can wait for: [`set`](Event::set) wakes every waiting
/// task, and later waits return at once until [`clear`](Event::clear).
///
/// A task waiting when the event is set is woken even if the event is
/// cleared again before it runs, as in pycos. Bound a wait with
/// [`.timeout(t)`](crate::WaitExt::timeout): `None` when the limit passed
/// (a limit of zero checks the flag without waiting). A cheap handle: clones
/// share the event, and `set` may be called from any thread.
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn starter(go: Event, task: TaskCtx) {
///     task.sleep(2.0).await;
///     go.set();
/// }
///
/// #[task]
/// fn wait_for_the_start() {
///     let go = Event::new();
///     Task::new(starter(go.clone()));
///     assert!(go.wait().timeout(1.0).await.is_none(), "not set yet");
///     go.wait().await;
///     assert!(go.is_set());
/// }
/// # let sched = Pycos::builder().virtual_clock(true).build()?;
/// # sched.spawn(wait_for_the_start()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct Event {
    state: Arc<Mutex<State>>,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Event {
        Event::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        crate::util::lock(&self.state)
    }

    /// Sets the flag and wakes every waiting task.
    pub fn set(&self) {
        let wakers = {
            let mut state = self.state();
            state.flag = true;
            state.waiters.notify_all()
        };
        wake_all(wakers);
    }

    /// Clears the flag: later waits wait for the next `set`.
    pub fn clear(&self) {
        self.state().flag = false;
    }

    /// Whether the flag is set.
    pub fn is_set(&self) -> bool {
        self.state().flag
    }

    /// Waits until the flag is set (at once if it is).
    pub fn wait(&self) -> EventWait<'_> {
        EventWait {
            event: self,
            key: None,
        }
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .finish()
    }
}

/// The wait made by [`Event::wait`].
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
#[derive(Debug)]
pub struct EventWait<'a> {
    event: &'a Event,
    key: Option<WaiterKey>,
}

impl Future for EventWait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        let mut state = this.event.state();
        match this.key {
            Some(key) => {
                let polled = state.waiters.poll(key, cx.waker());
                if polled.is_ready() {
                    this.key = None;
                }
                polled
            }
            None if state.flag => Poll::Ready(()),
            None => {
                this.key = Some(state.waiters.push_back((), cx.waker()));
                Poll::Pending
            }
        }
    }
}

impl Drop for EventWait<'_> {
    fn drop(&mut self) {
        // A set wakes everyone, so a waiter leaving has nothing to pass on.
        if let Some(key) = self.key.take() {
            self.event.state().waiters.remove(key);
        }
    }
}

impl crate::__private::PycosWait for EventWait<'_> {}
