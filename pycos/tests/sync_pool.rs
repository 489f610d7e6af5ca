//! `AsyncThreadPool`: results and panics come back to the task, the
//! scheduler keeps running while a job blocks, join/terminate, and dropping
//! the pool ends its threads.
//!
//! Pool threads run on the real clock, so waits here are bounded with
//! generous limits and fail with a message instead of hanging.

#[path = "support/bounded.rs"]
mod bounded;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pycos::pool::PoolError;
use pycos::prelude::*;

use bounded::within;

const LIMIT: Duration = Duration::from_secs(10);

#[pycos::test]
async fn the_task_resumes_with_the_closure_value() {
    let pool = AsyncThreadPool::new(1);
    let on_pool = pool.async_task(|| std::thread::current().name().map(str::to_owned));
    let name = within("the job", on_pool).await.unwrap();
    assert!(
        name.is_some_and(|n| n.starts_with("pycos-pool")),
        "ran on a pool thread"
    );
    assert_eq!(within("the job", pool.async_task(|| 6 * 7)).await, Ok(42));
}

#[pycos::test]
async fn a_panic_comes_back_as_an_error_and_the_pool_goes_on() {
    let pool = AsyncThreadPool::new(1);
    let failed = within("the job", pool.async_task(|| -> u8 { panic!("boom") })).await;
    assert_eq!(failed, Err(PoolError::Panicked("boom".to_owned())));
    assert!(failed.unwrap_err().is_panic());
    let after = within("the next job", pool.async_task(|| "still here")).await;
    assert_eq!(after, Ok("still here"));
}

/// Ticks every 10 ms until `stop` is set; sends `token` after two ticks.
#[task]
fn ticker(token: mpsc::Sender<&'static str>, stop: Event) -> u32 {
    let mut ticks = 0;
    while stop.wait().timeout(0.01).await.is_none() {
        ticks += 1;
        if ticks == 2 {
            token.send("token").unwrap();
        }
    }
    ticks
}

#[pycos::test]
async fn other_tasks_run_while_a_job_blocks() {
    let pool = AsyncThreadPool::new(1);
    let (token, tokens) = mpsc::channel();
    // The job blocks its thread until the ticker task, which needs the
    // scheduler, sends the token: with a blocked scheduler it times out.
    let job = pool.async_task(move || tokens.recv_timeout(LIMIT).map_err(|e| e.to_string()));
    let stop = Event::new();
    let ticking = Task::new(ticker(token, stop.clone()));
    assert_eq!(
        job.await.unwrap(),
        Ok("token"),
        "the scheduler kept running"
    );
    stop.set();
    assert!(within("the ticker", ticking.finish()).await.unwrap() >= 2);
}

#[pycos::test]
async fn jobs_run_in_parallel_on_the_pool_threads() {
    let pool = AsyncThreadPool::new(2);
    assert_eq!(pool.threads(), 2);
    let (to_a, from_b) = mpsc::channel::<()>();
    let (to_b, from_a) = mpsc::channel::<()>();
    // Each job waits for the other: only two threads at once finish both.
    let a = pool.async_task(move || {
        to_b.send(()).unwrap();
        from_b.recv_timeout(LIMIT).is_ok()
    });
    let b = pool.async_task(move || {
        to_a.send(()).unwrap();
        from_a.recv_timeout(LIMIT).is_ok()
    });
    let (a, b) = (within("job a", a).await, within("job b", b).await);
    assert_eq!((a, b), (Ok(true), Ok(true)));
}

#[pycos::test]
async fn join_waits_until_every_queued_job_ran() {
    let pool = AsyncThreadPool::new(1);
    let done = Arc::new(AtomicUsize::new(0));
    for _ in 0..3 {
        let done = done.clone();
        // The result is dropped, not awaited: the job runs anyway.
        drop(pool.async_task(move || {
            std::thread::sleep(Duration::from_millis(5));
            done.fetch_add(1, Ordering::SeqCst);
        }));
    }
    pool.join()
        .timeout(LIMIT)
        .await
        .expect("the pool drained within the limit");
    assert_eq!(done.load(Ordering::SeqCst), 3);
}

#[pycos::test]
async fn terminate_refuses_new_jobs_after_running_the_queued_ones() {
    let pool = AsyncThreadPool::new(1);
    let queued = pool.async_task(|| {
        std::thread::sleep(Duration::from_millis(5));
        1
    });
    pool.terminate();
    assert_eq!(pool.async_task(|| 2).await, Err(PoolError::Terminated));
    assert_eq!(queued.timeout(LIMIT).await, Some(Ok(1)));
}

thread_local! {
    /// Dropped when a pool thread exits: lets the test see threads end.
    static ALIVE: std::cell::RefCell<Option<Arc<()>>> = const { std::cell::RefCell::new(None) };
}

#[test]
fn dropping_the_pool_waits_for_its_threads_to_exit() {
    let alive = Arc::new(());
    let pool = AsyncThreadPool::new(3);
    let ran = Arc::new(Mutex::new(0));
    for _ in 0..3 {
        let (alive, ran) = (alive.clone(), ran.clone());
        drop(pool.async_task(move || {
            std::thread::sleep(Duration::from_millis(5));
            ALIVE.with(|slot| *slot.borrow_mut() = Some(alive));
            *ran.lock().unwrap() += 1;
        }));
    }
    drop(pool);
    assert_eq!(
        *ran.lock().unwrap(),
        3,
        "queued jobs ran before the threads exited"
    );
    assert_eq!(Arc::strong_count(&alive), 1, "every pool thread has exited");
}

/// Virtual time stands still while a job runs: the timeout measures virtual
/// time, which does not pass while the scheduler waits for the job.
#[pycos::test(virtual_clock)]
async fn on_the_virtual_clock_a_job_does_not_time_out_while_it_runs() {
    let pool = AsyncThreadPool::new(1);
    let start = pycos::time::now().unwrap();
    let job = pool.async_task(|| {
        std::thread::sleep(Duration::from_millis(50));
        "done"
    });
    assert_eq!(
        job.timeout(5.0).await,
        Some(Ok("done")),
        "the clock jumped over the job"
    );
    assert!(pycos::time::now().unwrap() - start < 5.0);
}

/// Panics again when dropped.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        panic!("the payload exploded too");
    }
}

#[pycos::test]
async fn a_job_whose_leftovers_panic_when_dropped_keeps_the_pool_thread() {
    let pool = AsyncThreadPool::new(1);
    // A panic whose payload panics when dropped.
    let failed = within(
        "the panicking job",
        pool.async_task(|| -> u8 { std::panic::panic_any(Bomb) }),
    )
    .await;
    assert_eq!(
        failed,
        Err(PoolError::Panicked("non-string panic payload".to_owned()))
    );
    // A result nobody awaits, dropped on the pool thread: the job waits
    // until its future is gone, so the result cannot reach the task.
    let (go, wait) = std::sync::mpsc::channel::<()>();
    drop(pool.async_task(move || {
        let _ = wait.recv();
        Bomb
    }));
    go.send(()).unwrap();
    within("the pool to be idle", pool.join()).await;
    let after = within("a job on the same thread", pool.async_task(|| 7)).await;
    assert_eq!(after, Ok(7), "the only pool thread survived");
}
