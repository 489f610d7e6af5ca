//! `RLock`: re-entry by the holder, depth counting, ownership errors.

#[path = "support/bounded.rs"]
mod bounded;

use pycos::NotOwner;
use pycos::prelude::*;

use bounded::{now, within};

/// Whether another task can take the lock right now.
#[task]
fn can_take(rlock: RLock) -> bool {
    rlock.try_acquire().is_some()
}

#[pycos::test]
async fn holder_reenters_and_depth_counts_levels() {
    let rlock = RLock::new();
    let first = rlock.acquire().await;
    let second = rlock
        .acquire()
        .timeout(0.0)
        .await
        .expect("the holder re-enters at once");
    let third = rlock
        .try_acquire()
        .expect("the holder re-enters without waiting");
    assert_eq!(rlock.depth(), 3);
    assert!(!Task::new(can_take(rlock.clone())).finish().await.unwrap());
    drop(third);
    drop(first);
    assert_eq!(
        rlock.depth(),
        1,
        "guards release one level each, in any order"
    );
    assert!(!Task::new(can_take(rlock.clone())).finish().await.unwrap());
    drop(second);
    assert_eq!(rlock.depth(), 0);
    assert!(Task::new(can_take(rlock.clone())).finish().await.unwrap());
}

#[pycos::test]
async fn explicit_release_once_per_acquisition() {
    let rlock = RLock::new();
    rlock.acquire().await.leak();
    within("re-entry", rlock.acquire()).await.leak();
    assert_eq!(rlock.release(), Ok(()));
    assert!(rlock.is_locked());
    assert_eq!(rlock.release(), Ok(()));
    assert!(!rlock.is_locked());
    assert_eq!(
        rlock.release(),
        Err(NotOwner),
        "over-release is an error, not a crash"
    );
}

#[task]
fn release_other(rlock: RLock) -> Result<(), NotOwner> {
    rlock.release()
}

#[pycos::test]
async fn non_owner_release_is_an_error_and_changes_nothing() {
    let rlock = RLock::new();
    rlock.acquire().await.leak();
    within("re-entry", rlock.acquire()).await.leak();
    let err = Task::new(release_other(rlock.clone()))
        .finish()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("does not hold"), "{err}");
    assert_eq!(rlock.depth(), 2);
    rlock.release().unwrap();
    rlock.release().unwrap();
}

#[task]
fn acquire_at(rlock: RLock) -> f64 {
    let _guard = rlock.acquire().await;
    now()
}

#[pycos::test(virtual_clock)]
async fn waiter_gets_the_lock_only_when_depth_reaches_zero(task: TaskCtx) {
    let rlock = RLock::new();
    let outer = rlock.acquire().await;
    let inner = within("re-entry", rlock.acquire()).await;
    let waiter = Task::new(acquire_at(rlock.clone()));
    task.sleep(1.0).await;
    drop(inner);
    task.sleep(1.0).await;
    drop(outer);
    assert_eq!(within("waiter to end", waiter.finish()).await.unwrap(), 2.0);
}
