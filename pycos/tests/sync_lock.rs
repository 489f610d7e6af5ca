//! `Lock`: exclusion, FIFO hand-over, timeouts, ownership errors, and
//! waiters that leave the queue early.

#[path = "support/bounded.rs"]
mod bounded;

use std::sync::{Arc, Mutex};

use pycos::NotOwner;
use pycos::prelude::*;

use bounded::{now, within};

/// Acquires after `delay`, notes (index, time), holds for one second.
#[task]
fn holder(lock: Lock, index: usize, delay: f64, log: Arc<Mutex<Vec<(usize, f64)>>>, task: TaskCtx) {
    task.sleep(delay).await;
    let _guard = lock.acquire().await;
    log.lock().unwrap().push((index, now()));
    task.sleep(1.0).await;
}

#[pycos::test(virtual_clock)]
async fn waiters_get_the_lock_one_at_a_time_in_fifo_order(task: TaskCtx) {
    let lock = Lock::new();
    let log = Arc::new(Mutex::new(Vec::new()));
    let guard = lock.acquire().await;
    // Queue in the order 2, 0, 1 (by delay), not by creation order.
    let waiters: Vec<_> = [(0, 0.2), (1, 0.3), (2, 0.1)]
        .into_iter()
        .map(|(i, delay)| Task::new(holder(lock.clone(), i, delay, log.clone())))
        .collect();
    task.sleep(1.0).await;
    drop(guard);
    // Handed to the oldest waiter: nobody can take it in between.
    assert!(
        lock.try_acquire().is_none(),
        "the release handed the lock to a waiter"
    );
    for waiter in waiters {
        within("waiter to end", waiter.finish()).await.unwrap();
    }
    let log = log.lock().unwrap().clone();
    assert_eq!(log, vec![(2, 1.0), (0, 2.0), (1, 3.0)]);
    assert!(!lock.is_locked());
}

#[pycos::test(virtual_clock)]
async fn acquire_timeout_gives_none_and_leaves_the_queue() {
    let lock = Lock::new();
    let guard = lock.acquire().await;
    let start = now();
    assert!(lock.acquire().timeout(0.5).await.is_none());
    assert_eq!(now() - start, 0.5);
    drop(guard);
    // The timed-out waiter is gone: the lock is free, not handed to it.
    assert!(!lock.is_locked());
    assert!(lock.acquire().timeout(0.0).await.is_some());
}

#[pycos::test(virtual_clock)]
async fn zero_timeout_tries_once() {
    let lock = Lock::new();
    let start = now();
    let guard = lock.acquire().timeout(0.0).await;
    assert!(
        guard.is_some(),
        "a free lock is taken by a zero-timeout acquire"
    );
    assert!(lock.acquire().timeout(0.0).await.is_none());
    assert_eq!(now(), start, "a zero timeout does not wait");
}

#[task]
fn release_other(lock: Lock) -> Result<(), NotOwner> {
    lock.release()
}

#[pycos::test]
async fn release_by_non_owner_is_an_error_value() {
    let lock = Lock::new();
    assert_eq!(lock.release(), Err(NotOwner), "releasing a free lock");
    lock.acquire().await.leak();
    let other = Task::new(release_other(lock.clone()));
    let err = within("other to end", other.finish()).await.unwrap_err();
    assert!(err.to_string().contains("does not hold"), "{err}");
    assert!(lock.is_locked(), "a refused release changes nothing");
    assert_eq!(lock.release(), Ok(()));
    assert_eq!(lock.release(), Err(NotOwner));
}

#[task]
fn wait_for_lock(lock: Lock, limit: f64) -> Option<f64> {
    let guard = lock.acquire().timeout(limit).await?;
    let at = now();
    drop(guard);
    Some(at)
}

#[pycos::test(virtual_clock)]
async fn timed_out_waiter_does_not_swallow_the_release(task: TaskCtx) {
    let lock = Lock::new();
    let guard = lock.acquire().await;
    let impatient = Task::new(wait_for_lock(lock.clone(), 1.0));
    let patient = Task::new(wait_for_lock(lock.clone(), 100.0));
    task.sleep(2.0).await;
    drop(guard);
    assert_eq!(
        within("impatient to end", impatient.finish())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        within("patient to end", patient.finish()).await.unwrap(),
        Some(2.0)
    );
}

#[pycos::test(virtual_clock)]
async fn granted_waiter_that_is_terminated_passes_the_lock_on(task: TaskCtx) {
    let lock = Lock::new();
    let guard = lock.acquire().await;
    let first = Task::new(wait_for_lock(lock.clone(), 100.0));
    let second = Task::new(wait_for_lock(lock.clone(), 100.0));
    task.sleep(1.0).await;
    // The release grants the lock to `first`, which is terminated before it
    // runs: its wait is dropped holding the grant, which must go on.
    drop(guard);
    first.terminate().unwrap();
    assert!(
        within("first to end", first.finish())
            .await
            .unwrap_err()
            .is_terminated()
    );
    assert_eq!(
        within("second to end", second.finish()).await.unwrap(),
        Some(1.0)
    );
    assert!(!lock.is_locked());
}

#[pycos::test]
async fn a_thread_releasing_wakes_a_waiting_task() {
    let lock = Lock::new();
    let held = Event::new();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let thread = {
        let (lock, held) = (lock.clone(), held.clone());
        std::thread::spawn(move || {
            let guard = lock.try_acquire().expect("the lock is free");
            held.set();
            released.recv().expect("the test task asks to release");
            drop(guard);
        })
    };
    held.wait()
        .timeout(10.0)
        .await
        .expect("the thread took the lock within 10 s");
    assert!(lock.try_acquire().is_none());
    release.send(()).unwrap();
    let guard = lock.acquire().timeout(10.0).await;
    assert!(
        guard.is_some(),
        "the thread's release woke this task within 10 s"
    );
    thread.join().unwrap();
}
