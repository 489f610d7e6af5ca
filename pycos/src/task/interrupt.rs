//! Interruption points, and catching what arrives at them.
//!
//! `throw`, `hot_swap` and `terminate` take effect where a task is paused.
//! Every top-level `.await` of a `#[task]` body is wrapped by the macro in a
//! [`Point`], which tells the scheduler "this task is paused at an
//! interruption point". When an interrupt is pending there, the scheduler does
//! not poll the task: it drops the body (destructors run) and ends the task
//! (throw, terminate) or starts the new body (hot swap). Awaits inside nested
//! `async` blocks or helper functions are not interruption points, so a throw
//! or swap waits until the task is back at one; `terminate` ends a task at
//! any await.
//!
//! A task that wants to handle an interrupt wraps that wait in
//! [`WaitExt::catch`](crate::WaitExt::catch): the wait then ends with
//! `Err(Interrupt)` instead, and the task decides (pycos' `except
//! HotSwapException`). The trait itself lives in `time` (see its module doc);
//! the [`Catch`] future it builds is here.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::ThrownError;
use super::header::{Caught, Header};
use super::pause::Pause;
use super::spec::ErasedSpec;
use crate::runtime::context::{self, with_core};
use crate::time::Timeout;

/// An interrupt caught by a [`.catch()`](crate::WaitExt::catch) wait.
///
/// # Examples
///
/// A task that handles an error thrown into it instead of ending:
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn stubborn(task: TaskCtx) -> String {
///     match task.suspend().catch().await {
///         Ok(_) => "resumed".to_owned(),
///         Err(Interrupt::Thrown(err)) => format!("caught: {err}"),
///         Err(Interrupt::HotSwap(swap)) => format!("declined {}", swap.name()),
///     }
/// }
///
/// #[task]
/// fn thrower(task: TaskCtx) -> String {
///     let child = Task::new(stubborn());
///     task.sleep(1.0).await; // the child is now waiting in `catch`
///     child.throw("stop").unwrap();
///     child.finish().await.unwrap()
/// }
///
/// let sched = Pycos::builder().virtual_clock(true).build()?;
/// assert_eq!(sched.spawn(thrower()).value()?, "caught: stop");
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub enum Interrupt {
    /// An error thrown into the task with [`Task::throw`](crate::Task::throw).
    Thrown(ThrownError),
    /// A replacement body offered by [`Task::hot_swap`](crate::Task::hot_swap).
    HotSwap(HotSwap),
}

impl Interrupt {
    /// Lets the interrupt take its course: it is applied at the task's next
    /// interruption point and can no longer be caught (pycos' `raise`).
    pub fn rethrow(self) {
        match self {
            Interrupt::Thrown(err) => {
                if let Some(header) = context::current_header() {
                    header.interrupt(|i| i.thrown.push_front((err, true)));
                }
            }
            Interrupt::HotSwap(swap) => swap.accept(),
        }
    }
}

impl fmt::Display for Interrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interrupt::Thrown(err) => write!(f, "thrown: {err}"),
            Interrupt::HotSwap(swap) => write!(f, "hot swap to {}", swap.name()),
        }
    }
}

/// A hot swap caught by the task. Dropping it declines the swap;
/// [`accept`](HotSwap::accept) applies it at the next interruption point.
///
/// # Examples
///
/// A task that accepts only a swap to `v2`:
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn v2() -> &'static str {
///     "v2"
/// }
///
/// #[task]
/// fn v1(task: TaskCtx) -> &'static str {
///     task.hot_swappable(true);
///     loop {
///         match task.suspend().catch().await {
///             // Applied at the next interruption point: this loop's wait.
///             Err(Interrupt::HotSwap(swap)) if swap.name() == "v2" => swap.accept(),
///             Err(Interrupt::HotSwap(swap)) => swap.decline(),
///             Err(Interrupt::Thrown(_)) => return "thrown",
///             Ok(_) => return "v1",
///         }
///     }
/// }
///
/// #[task]
/// fn upgrade(task: TaskCtx) -> &'static str {
///     let server = Task::new(v1());
///     task.sleep(1.0).await; // v1 is now waiting
///     server.hot_swap(v2()).unwrap();
///     server.finish().await.unwrap() // the swapped body's value
/// }
///
/// let sched = Pycos::builder().virtual_clock(true).build()?;
/// assert_eq!(sched.spawn(upgrade()).value()?, "v2");
/// sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct HotSwap {
    header: Arc<Header>,
    spec: Box<dyn ErasedSpec>,
}

impl HotSwap {
    /// The name of the function the task would become (or the name its
    /// spec was given with [`TaskSpec::named`](crate::TaskSpec::named)).
    pub fn name(&self) -> &str {
        self.spec.name()
    }

    /// The new body's argument tuple.
    pub fn args(&self) -> &(dyn std::any::Any + Send) {
        self.spec.args()
    }

    /// Accepts the swap: the new body replaces this one at the task's next
    /// interruption point (its mailbox is kept).
    pub fn accept(self) {
        let HotSwap { header, spec } = self;
        header.interrupt(|i| {
            if i.swap.is_none() {
                i.swap = Some((spec, true));
            }
        });
    }

    /// Declines the swap (the same as dropping it).
    pub fn decline(self) {
        tracing::debug!(new = self.name(), "hot swap declined");
    }
}

impl fmt::Debug for HotSwap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HotSwap")
            .field("name", &self.name())
            .finish()
    }
}

pin_project! {
    /// A wait that hands interrupts to the task; see
    /// [`WaitExt::catch`](crate::WaitExt::catch).
    #[must_use = "pycos operations do nothing unless awaited: add `.await`"]
    #[derive(Debug)]
    pub struct Catch<F> {
        #[pin]
        inner: F,
    }
}

impl<F> Catch<F> {
    /// The future of [`WaitExt::catch`](crate::WaitExt::catch), whose trait
    /// lives in `time` with the rest of the wait combinators.
    pub(crate) fn new(inner: F) -> Catch<F> {
        Catch { inner }
    }
}

impl<F: Future> Future for Catch<F> {
    type Output = Result<F::Output, Interrupt>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // The flag is read through a borrow; the header is only cloned when
        // an interrupt is actually pending.
        let interrupted = with_core(|core| core.with_current(|h| h.is_interrupted()))
            .flatten()
            .unwrap_or(false);
        if let Some(header) = context::current_header().filter(|_| interrupted)
            && let Some(caught) = header.take_catchable()
        {
            return Poll::Ready(Err(match caught {
                Caught::Thrown(err) => Interrupt::Thrown(err),
                Caught::Swap(spec) => Interrupt::HotSwap(HotSwap { header, spec }),
            }));
        }
        match self.project().inner.poll(cx) {
            Poll::Ready(value) => Poll::Ready(Ok(value)),
            Poll::Pending => {
                context::note_pause(Pause::NESTED.catching());
                Poll::Pending
            }
        }
    }
}

impl<F: PycosWait> PycosWait for Catch<F> {}

impl<F: PycosWait> PycosWait for Timeout<F> {}

pin_project! {
    /// An interruption point: a top-level await of a `#[task]` body.
    #[derive(Debug)]
    ///
    /// `K` is [`OwnWait`] for a pycos wait of the task itself (where a hot
    /// swap may apply), [`OtherWait`] for anything else, such as a helper
    /// `async fn`. A type rather than a field: a million sleeping tasks
    /// each hold a point, and a byte here is eight with padding.
    pub struct Point<F, K> {
        #[pin]
        inner: F,
        kind: PhantomData<K>,
    }
}

/// The kind of a [`Point`] at one of the task's own pycos waits.
#[derive(Debug)]
pub struct OwnWait;

/// The kind of a [`Point`] at any other await.
#[derive(Debug)]
pub struct OtherWait;

/// Which kind of await a [`Point`] marks.
pub trait PointKind {
    /// Whether it is one of the task's own pycos waits.
    const OWN: bool;
}

impl PointKind for OwnWait {
    const OWN: bool = true;
}

impl PointKind for OtherWait {
    const OWN: bool = false;
}

impl<F, K> Point<F, K> {
    pub(crate) fn new(inner: F) -> Point<F, K> {
        Point {
            inner,
            kind: PhantomData,
        }
    }
}

impl<F: Future, K: PointKind> Future for Point<F, K> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // A terminate, a rethrown error or an accepted swap takes effect
        // here even when the wait could complete at once: pause so the
        // scheduler applies it (the inner wait is not polled, so nothing it
        // would take, such as a message, is lost).
        // Checked through a borrow of the current task: an `Arc` clone and
        // drop here was two atomic operations on every await.
        let this = self.project();
        let place = if K::OWN {
            Pause::OWN_WAIT
        } else {
            Pause::POINT
        };
        let stop = with_core(|core| core.with_current(|h| h.must_stop_at(place)))
            .flatten()
            .unwrap_or(false);
        let pause_here = || context::note_pause(place);
        if stop {
            pause_here();
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let poll = this.inner.poll(cx);
        if poll.is_pending() {
            pause_here();
        }
        poll
    }
}

/// Marks the futures of the task's own pycos waits — `receive`, `sleep`,
/// `suspend`, `finish`, lock acquisitions, socket operations and so on —
/// where a hot swap may apply (see the `task::pause` module). Anything else
/// awaited at the top level of a task, such as a helper `async fn`, is an
/// interruption point for throws only.
pub trait PycosWait: Future {}

/// Wraps a top-level await of a task body (called by `#[task]` output):
/// the macro writes `(&mut Probe::new(expr)).__pycos_point()`, which picks
/// [`ViaOwnWait`] for pycos waits and [`ViaOtherWait`] for anything else
/// (method lookup tries the receiver type before its reference).
#[derive(Debug)]
pub struct Probe<F>(Option<F>);

impl<F> Probe<F> {
    /// Holds the awaited expression until the lookup has picked its kind.
    pub fn new(inner: F) -> Probe<F> {
        Probe(Some(inner))
    }

    fn take(&mut self) -> F {
        self.0.take().expect("a probe is used once")
    }
}

/// The interruption point of a pycos wait of the task itself.
pub trait ViaOwnWait<F> {
    /// The interruption point.
    fn __pycos_point(&mut self) -> Point<F, OwnWait>;
}

impl<F: PycosWait> ViaOwnWait<F> for Probe<F> {
    fn __pycos_point(&mut self) -> Point<F, OwnWait> {
        Point::new(self.take())
    }
}

/// The interruption point of any other await.
pub trait ViaOtherWait<F: IntoFuture> {
    /// The interruption point.
    fn __pycos_point(&mut self) -> Point<F::IntoFuture, OtherWait>;
}

impl<F: IntoFuture> ViaOtherWait<F> for &mut Probe<F> {
    fn __pycos_point(&mut self) -> Point<F::IntoFuture, OtherWait> {
        Point::new(self.take().into_future())
    }
}
