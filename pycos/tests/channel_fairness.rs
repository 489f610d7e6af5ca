//! Fairness of the channel waits: a publisher whose `deliver`s always
//! complete at once (its subscribers are there), or a task that keeps
//! subscribing or locating, still lets the other tasks of its scheduler run
//! before it is done.
//!
//! As in `sync_fairness.rs`: a witness task is queued behind the busy one,
//! so it has run exactly when one of the busy task's waits gave way.

#[path = "support/fairness.rs"]
mod fairness;

use pycos::prelude::*;

use fairness::{READY_WAITS, start_witness};

/// Counts the `u32`s it receives until a `None::<u32>`.
#[task]
fn count(task: TaskCtx) -> usize {
    let mut got = 0;
    while task.receive().await.is::<u32>() {
        got += 1;
    }
    got
}

#[pycos::test]
async fn a_publisher_delivering_in_a_loop_gives_way() {
    let channel = Channel::new("busy").unwrap();
    let counter = Task::new(count());
    channel.subscribe(&counter).await.unwrap();
    let witness_ran = start_witness();
    for n in 0..READY_WAITS as u32 {
        assert_eq!(channel.deliver(n, 1, None).await.unwrap(), 1);
    }
    assert!(witness_ran(), "the deliver loop never let the witness run");
    channel.send(None::<u32>).unwrap();
    assert_eq!(counter.finish().await.unwrap(), READY_WAITS);
}

#[pycos::test]
async fn subscribing_and_locating_in_a_loop_gives_way(task: TaskCtx) {
    let channel = Channel::new("busy").unwrap();
    let witness_ran = start_witness();
    for _ in 0..READY_WAITS {
        channel.subscribe(&task).await.unwrap();
        channel.unsubscribe(&task).await.unwrap();
    }
    assert!(
        witness_ran(),
        "the subscribe loop never let the witness run"
    );
    let witness_ran = start_witness();
    for _ in 0..READY_WAITS {
        assert!(Channel::locate("busy").await.is_some());
    }
    assert!(witness_ran(), "the locate loop never let the witness run");
}
