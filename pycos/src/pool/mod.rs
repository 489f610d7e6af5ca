//! [`AsyncThreadPool`]: running blocking calls on threads while tasks wait
//! for them (pycos' `AsyncThreadPool`).
//!
//! - `mod.rs` (here): the pool, its job queue and worker threads.
//! - `job`: the one-shot slot that carries a job's result back and wakes
//!   the waiting task from the pool thread.

mod error;
mod job;

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll};
use std::thread::JoinHandle;

pub use error::PoolError;
pub use job::PoolTask;

use crate::panic::panic_text;
use crate::runtime::{context, coop};
use crate::sync::waiters::{WaiterKey, Waiters, wake_all};
use crate::util::{lock, unpoison};
use job::Job;

#[derive(Default)]
struct State {
    jobs: VecDeque<Job>,
    /// Jobs being run right now.
    running: usize,
    stopping: bool,
    /// Tasks in `join`, woken when the pool is idle.
    joiners: Waiters,
}

impl State {
    fn is_idle(&self) -> bool {
        self.jobs.is_empty() && self.running == 0
    }
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued or the pool stops.
    work: Condvar,
}

/// A fixed set of threads that run blocking closures for tasks.
///
/// A task must not block its scheduler thread (reading a terminal, a
/// blocking database client, heavy computation): every task of the
/// scheduler would stop. `pool.async_task(closure).await` runs the closure
/// on one of the pool's threads instead; the task waits like for any other
/// event, other tasks keep running, and the task resumes with the
/// closure's value — or a [`PoolError`] if it panicked.
///
/// # Virtual clock
///
/// A job queued from a task holds back its scheduler's virtual clock (see
/// [`Builder::virtual_clock`](crate::Builder::virtual_clock)) from the
/// moment `async_task` returns until the job's result is stored and the
/// task woken. While it runs, virtual time stands still — for every timer
/// of the scheduler — and the scheduler waits for the job in real time.
/// So a `.timeout(t)` on a job's result does not expire because the job
/// takes real time (virtual time does not pass meanwhile), and a program
/// under test sees the job's result before any later timer. It follows
/// that a job that never ends stops virtual time for good; keep such jobs
/// off a virtually clocked scheduler. Jobs queued from a thread outside any
/// scheduler hold back no clock.
///
/// pycos' `AsyncDBCursor` is this pattern applied to a database cursor:
/// run each blocking call of the client library through `async_task`, one
/// at a time — with a one-thread pool per connection, or with a shared
/// pool and a [`Semaphore::new(1)`](crate::Semaphore) held around each call.
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn off_the_scheduler() -> Result<(), pycos::pool::PoolError> {
///     let pool = AsyncThreadPool::new(2);
///     let answer = pool.async_task(|| {
///         std::thread::sleep(std::time::Duration::from_millis(10)); // blocking is fine here
///         6 * 7
///     });
///     assert_eq!(answer.await?, 42);
///     let failed = pool.async_task(|| -> u32 { panic!("disk on fire") }).await;
///     assert_eq!(failed, Err(pycos::pool::PoolError::Panicked("disk on fire".into())));
///     Ok(())
/// }
/// # let sched = Pycos::new();
/// # sched.spawn(off_the_scheduler()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AsyncThreadPool {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl AsyncThreadPool {
    /// Starts `threads` threads (at least one).
    ///
    /// # Panics
    ///
    /// If the operating system refuses to start a thread.
    pub fn new(threads: usize) -> AsyncThreadPool {
        let shared = Arc::new(Shared::default());
        let threads = (0..threads.max(1))
            .map(|i| {
                let shared = shared.clone();
                std::thread::Builder::new()
                    .name(format!("pycos-pool-{i}"))
                    .spawn(move || work(&shared))
                    .unwrap_or_else(|err| panic!("cannot start a pool thread: {err}"))
            })
            .collect();
        AsyncThreadPool {
            shared,
            threads: Mutex::new(threads),
        }
    }

    /// Queues `f` to run on a pool thread; await the result for its value.
    /// Jobs start in the order they were queued. After
    /// [`terminate`](AsyncThreadPool::terminate) the result is
    /// [`PoolError::Terminated`] at once.
    pub fn async_task<F, T>(&self, f: F) -> PoolTask<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let mut state = lock(&self.shared.state);
        if state.stopping {
            return PoolTask::refused();
        }
        let (job, result) = job::job(f);
        state.jobs.push_back(job);
        drop(state);
        self.shared.work.notify_one();
        result
    }

    /// Waits (in a task) until no job is queued or running.
    pub fn join(&self) -> Join<'_> {
        Join {
            shared: &self.shared,
            key: None,
        }
    }

    /// Stops taking jobs: jobs already queued still run (as in pycos), then
    /// the threads exit. Returns at once; dropping the pool waits for the
    /// threads.
    pub fn terminate(&self) {
        lock(&self.shared.state).stopping = true;
        self.shared.work.notify_all();
    }

    /// The number of pool threads.
    pub fn threads(&self) -> usize {
        lock(&self.threads).len()
    }
}

/// Runs jobs until the pool stops and its queue is empty.
fn work(shared: &Shared) {
    loop {
        let job = {
            let mut state = lock(&shared.state);
            loop {
                if let Some(job) = state.jobs.pop_front() {
                    state.running += 1;
                    break job;
                }
                if state.stopping {
                    return;
                }
                state = unpoison(shared.work.wait(state));
            }
        };
        // A job contains its own panic; this catches a destructor that
        // panics after it (a result nobody awaits), so the thread lives on.
        if let Err(panic) = catch_unwind(AssertUnwindSafe(job)) {
            tracing::warn!(
                panic = %panic_text(&*panic),
                "a value left by a pool job panicked when dropped"
            );
            job::drop_contained(panic);
        }
        let joiners = {
            let mut state = lock(&shared.state);
            state.running -= 1;
            if state.is_idle() {
                state.joiners.notify_all()
            } else {
                Vec::new()
            }
        };
        wake_all(joiners);
    }
}

impl Drop for AsyncThreadPool {
    /// Terminates the pool and waits for its threads to exit, after the
    /// queued jobs. On a scheduler thread it waits only if no job is left:
    /// a job still blocking (a read of a terminal) would stop every task of
    /// the scheduler, so the threads are left to exit on their own.
    fn drop(&mut self) {
        self.terminate();
        let busy = !lock(&self.shared.state).is_idle();
        if busy && context::with_core(|_| ()).is_some() {
            tracing::debug!(
                "pool dropped on a scheduler thread with jobs left; not waiting for them"
            );
            return;
        }
        for thread in lock(&self.threads).drain(..) {
            if thread.join().is_err() {
                tracing::error!("pool thread panicked outside a job");
            }
        }
    }
}

impl fmt::Debug for AsyncThreadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("AsyncThreadPool")
            .field("threads", &self.threads())
            .field("queued", &state.jobs.len())
            .field("running", &state.running)
            .finish()
    }
}

/// The wait made by [`AsyncThreadPool::join`].
#[must_use = "pycos operations do nothing unless awaited: add `.await`"]
pub struct Join<'a> {
    shared: &'a Shared,
    key: Option<WaiterKey>,
}

impl Future for Join<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        std::task::ready!(coop::proceed(cx));
        let this = self.get_mut();
        let mut state = lock(&this.shared.state);
        if let Some(key) = this.key.take() {
            state.joiners.remove(key);
        }
        if state.is_idle() {
            return Poll::Ready(());
        }
        this.key = Some(state.joiners.push_back((), cx.waker()));
        Poll::Pending
    }
}

impl Drop for Join<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            lock(&self.shared.state).joiners.remove(key);
        }
    }
}

impl fmt::Debug for Join<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join").finish_non_exhaustive()
    }
}

impl crate::__private::PycosWait for Join<'_> {}
