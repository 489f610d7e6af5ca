//! `Semaphore`: bounded concurrency, FIFO hand-over, timeouts, explicit
//! release, and permits passed on by waiters that leave.

#[path = "support/bounded.rs"]
mod bounded;

use std::sync::{Arc, Mutex};

use pycos::prelude::*;

use bounded::{now, within};

/// Holds a permit for one second; notes when it got it.
#[task]
fn worker(slots: Semaphore, index: usize, log: Arc<Mutex<Vec<(usize, f64)>>>, task: TaskCtx) {
    let _permit = slots.acquire().await;
    log.lock().unwrap().push((index, now()));
    task.sleep(1.0).await;
}

#[pycos::test(virtual_clock)]
async fn permits_bound_concurrency_and_are_handed_out_in_fifo_order() {
    let slots = Semaphore::new(2);
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut workers = Vec::new();
    for index in 0..5 {
        workers.push(Task::new(worker(slots.clone(), index, log.clone())));
    }
    for w in workers {
        within("w to end", w.finish()).await.unwrap();
    }
    let log = log.lock().unwrap().clone();
    assert_eq!(log, vec![(0, 0.0), (1, 0.0), (2, 1.0), (3, 1.0), (4, 2.0)]);
    assert_eq!(slots.available_permits(), 2);
}

#[pycos::test(virtual_clock)]
async fn acquire_timeout_gives_none() {
    let slots = Semaphore::new(1);
    let _permit = slots.acquire().await;
    assert!(slots.try_acquire().is_none());
    assert!(slots.acquire().timeout(1.5).await.is_none());
    assert_eq!(now(), 1.5);
    assert_eq!(slots.available_permits(), 0);
}

#[pycos::test]
async fn forgotten_permits_come_back_with_release_without_upper_bound() {
    let slots = Semaphore::default();
    slots.acquire().await.forget();
    assert_eq!(slots.available_permits(), 0);
    slots.release();
    assert_eq!(slots.available_permits(), 1);
    slots.release();
    assert_eq!(
        slots.available_permits(),
        2,
        "as in pycos, release has no upper bound"
    );
}

#[task]
fn take_one(slots: Semaphore, limit: f64) -> Option<f64> {
    let permit = slots.acquire().timeout(limit).await?;
    permit.forget();
    Some(now())
}

#[pycos::test(virtual_clock)]
async fn zero_permits_make_a_signal(task: TaskCtx) {
    let ready = Semaphore::new(0);
    let consumer = Task::new(take_one(ready.clone(), 100.0));
    task.sleep(3.0).await;
    ready.release();
    assert_eq!(
        within("consumer to end", consumer.finish()).await.unwrap(),
        Some(3.0)
    );
    assert_eq!(ready.available_permits(), 0);
}

#[pycos::test(virtual_clock)]
async fn waiters_that_leave_pass_their_permit_on(task: TaskCtx) {
    let slots = Semaphore::new(1);
    let permit = slots.acquire().await;
    let impatient = Task::new(take_one(slots.clone(), 0.5));
    let granted = Task::new(take_one(slots.clone(), 100.0));
    let last = Task::new(take_one(slots.clone(), 100.0));
    task.sleep(1.0).await;
    assert_eq!(
        within("impatient to end", impatient.finish())
            .await
            .unwrap(),
        None
    );
    // The release hands the permit to `granted`, terminated before it runs.
    drop(permit);
    granted.terminate().unwrap();
    assert!(
        within("granted to end", granted.finish())
            .await
            .unwrap_err()
            .is_terminated()
    );
    assert_eq!(
        within("last to end", last.finish()).await.unwrap(),
        Some(1.0)
    );
}
