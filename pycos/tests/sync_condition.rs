//! `Condition`: wait releases and re-acquires at the same depth (also on
//! timeout), FIFO notify, ownership errors, notifications handed on.

#[path = "support/bounded.rs"]
mod bounded;

use std::sync::{Arc, Mutex};

use pycos::NotOwner;
use pycos::prelude::*;

use bounded::{now, within};

/// Takes the condition's lock at `at`, notifies one waiter, holds the lock
/// for `hold` seconds; gives the time it got the lock.
#[task]
fn notifier(cond: Condition, at: f64, hold: f64, task: TaskCtx) -> f64 {
    task.sleep(at).await;
    let _guard = cond.acquire().await;
    let got = now();
    cond.notify(1);
    task.sleep(hold).await;
    got
}

#[pycos::test(virtual_clock)]
async fn wait_releases_the_lock_and_reacquires_it_at_the_same_depth() {
    let cond = Condition::new();
    let _outer = cond.acquire().await;
    let _inner = within("re-entry", cond.acquire()).await;
    let other = Task::new(notifier(cond.clone(), 1.0, 1.0));
    assert!(within("the notify", cond.wait_timeout(50.0)).await.unwrap());
    assert_eq!(now(), 2.0, "back only once the notifier released the lock");
    assert_eq!(cond.depth(), 2);
    assert_eq!(
        within("other to end", other.finish()).await.unwrap(),
        1.0,
        "the lock was free during the wait"
    );
}

#[task]
fn can_take(cond: Condition) -> bool {
    cond.try_acquire().is_some()
}

#[pycos::test(virtual_clock)]
async fn wait_timeout_gives_false_and_holds_the_lock_again() {
    let cond = Condition::new();
    let _outer = cond.acquire().await;
    let _inner = within("re-entry", cond.acquire()).await;
    assert!(
        !cond.wait_timeout(1.0).await.unwrap(),
        "nobody notifies: timeout"
    );
    assert_eq!(now(), 1.0);
    assert_eq!(cond.depth(), 2, "the lock is held again, at the same depth");
    assert!(!Task::new(can_take(cond.clone())).finish().await.unwrap());
}

#[pycos::test(virtual_clock)]
async fn notified_wait_returns_once_it_has_the_lock_back() {
    let cond = Condition::new();
    let _guard = cond.acquire().await;
    // Notifies at 0.5 and keeps the lock until 3.0, past the time limit.
    let other = Task::new(notifier(cond.clone(), 0.5, 2.5));
    assert!(cond.wait_timeout(1.0).await.unwrap(), "notified at 0.5");
    assert_eq!(now(), 3.0, "returned when the notifier let go of the lock");
    assert_eq!(cond.depth(), 1);
    within("other to end", other.finish()).await.unwrap();
}

#[task]
fn lock_holder(cond: Condition, from: f64, until: f64, task: TaskCtx) {
    task.sleep(from).await;
    let _guard = cond.acquire().await;
    task.sleep(until - from).await;
}

#[pycos::test(virtual_clock)]
async fn timed_out_wait_waits_for_the_lock_before_returning() {
    let cond = Condition::new();
    let _guard = cond.acquire().await;
    // Holds the lock from 0.5 to 4.0 without notifying.
    let holder = Task::new(lock_holder(cond.clone(), 0.5, 4.0));
    assert!(!cond.wait_timeout(1.0).await.unwrap());
    assert_eq!(
        now(),
        4.0,
        "timed out at 1.0, returned when the lock was back"
    );
    assert_eq!(cond.depth(), 1);
    within("holder to end", holder.finish()).await.unwrap();
}

#[task]
fn waiter(cond: Condition, index: usize, log: Arc<Mutex<Vec<usize>>>) -> Result<(), NotOwner> {
    let _guard = cond.acquire().await;
    cond.wait().await?;
    log.lock().unwrap().push(index);
    Ok(())
}

#[pycos::test(virtual_clock)]
async fn notify_wakes_the_oldest_waiters_and_counts_them(task: TaskCtx) {
    let cond = Condition::new();
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut waiters = Vec::new();
    for index in 0..3 {
        waiters.push(Task::new(waiter(cond.clone(), index, log.clone())));
        task.sleep(0.1).await;
    }
    assert_eq!(cond.notify(2), 2);
    task.sleep(0.1).await;
    assert_eq!(*log.lock().unwrap(), vec![0, 1]);
    assert!(waiters[2].is_alive(), "the third waiter was not notified");
    assert_eq!(cond.notify_all(), 1);
    for w in waiters {
        within("w to end", w.finish()).await.unwrap();
    }
    assert_eq!(*log.lock().unwrap(), vec![0, 1, 2]);
    assert_eq!(cond.notify(5), 0, "nobody left to wake");
}

#[pycos::test]
async fn wait_or_release_without_the_lock_is_an_error() {
    let cond = Condition::new();
    assert_eq!(cond.wait().await, Err(NotOwner));
    assert_eq!(cond.wait_timeout(1.0).await, Err(NotOwner));
    assert_eq!(cond.release(), Err(NotOwner));
    assert_eq!(cond.notify(1), 0, "the failed waits left no waiter behind");
}

#[pycos::test(virtual_clock)]
async fn notification_of_a_terminated_waiter_goes_to_the_next(task: TaskCtx) {
    let cond = Condition::new();
    let log = Arc::new(Mutex::new(Vec::new()));
    let first = Task::new(waiter(cond.clone(), 0, log.clone()));
    task.sleep(0.1).await;
    let second = Task::new(waiter(cond.clone(), 1, log.clone()));
    task.sleep(0.1).await;
    // `first` is notified, then terminated before it runs: its
    // notification must reach `second` rather than vanish.
    assert_eq!(cond.notify(1), 1);
    first.terminate().unwrap();
    second
        .finish()
        .timeout(1.0)
        .await
        .expect("second was woken")
        .unwrap();
    assert_eq!(*log.lock().unwrap(), vec![1]);
}

#[task]
fn acquire_at(cond: Condition, from: f64, task: TaskCtx) -> f64 {
    task.sleep(from).await;
    let _guard = cond.acquire().await;
    now()
}

/// Holds the lock from 1.0 to 3.0 and notifies at 2.0.
#[task]
fn slow_notifier(cond: Condition, task: TaskCtx) {
    task.sleep(1.0).await;
    let _guard = cond.acquire().await;
    task.sleep(1.0).await;
    cond.notify(1);
    task.sleep(1.0).await;
}

#[pycos::test(virtual_clock)]
async fn a_notified_waiter_gets_the_lock_before_other_lock_waiters(task: TaskCtx) {
    let cond = Condition::new();
    let guard = cond.acquire().await;
    let notifier = Task::new(slow_notifier(cond.clone()));
    // Queues for the lock at 1.5, before the notify at 2.0.
    let queued = Task::new(acquire_at(cond.clone(), 1.5));
    assert!(within("the notify", cond.wait_timeout(50.0)).await.unwrap());
    assert_eq!(now(), 3.0);
    task.sleep(1.0).await;
    drop(guard);
    let got = within("queued to end", queued.finish()).await.unwrap();
    assert_eq!(
        got, 4.0,
        "the re-acquire went ahead of the task queued earlier"
    );
    within("the notifier to end", notifier.finish())
        .await
        .unwrap();
}
