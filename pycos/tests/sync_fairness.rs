//! Fairness of the sync waits: a task whose waits always complete at once
//! (a free lock, a set event, a permit, a message set aside, a finished
//! pool job) still lets the other tasks of its scheduler run before it is
//! done, as a pycos task does at each `yield`.
//!
//! Each test spawns a witness task and then, without ever waiting for real,
//! completes many ready waits: the witness runs only if one of them gave
//! way. No timing is involved: the witness is queued behind the busy task,
//! so it has run exactly when the busy task went to the back of the queue.

#[path = "support/bounded.rs"]
mod bounded;
#[path = "support/fairness.rs"]
mod fairness;

use pycos::prelude::*;

use bounded::within;
use fairness::{READY_WAITS, start_witness};

#[pycos::test]
async fn re_acquiring_a_free_lock_gives_way() {
    let lock = Lock::new();
    let witness_ran = start_witness();
    for _ in 0..READY_WAITS {
        drop(lock.acquire().await);
    }
    assert!(witness_ran(), "the lock loop never let the witness run");
}

#[pycos::test]
async fn re_entering_an_rlock_gives_way() {
    let rlock = RLock::new();
    let outer = rlock.acquire().await;
    let witness_ran = start_witness();
    for _ in 0..READY_WAITS {
        drop(rlock.acquire().await);
    }
    drop(outer);
    assert!(witness_ran(), "the rlock loop never let the witness run");
}

#[pycos::test]
async fn acquiring_a_free_condition_gives_way() {
    let cond = Condition::new();
    let witness_ran = start_witness();
    for _ in 0..READY_WAITS {
        drop(cond.acquire().await);
    }
    assert!(
        witness_ran(),
        "the condition loop never let the witness run"
    );
}

#[pycos::test]
async fn taking_free_permits_gives_way() {
    let slots = Semaphore::new(1);
    let witness_ran = start_witness();
    for _ in 0..READY_WAITS {
        drop(slots.acquire().await);
    }
    assert!(
        witness_ran(),
        "the semaphore loop never let the witness run"
    );
}

#[pycos::test]
async fn waiting_on_a_set_event_gives_way() {
    let event = Event::new();
    event.set();
    let witness_ran = start_witness();
    for _ in 0..READY_WAITS {
        event.wait().await;
    }
    assert!(witness_ran(), "the event loop never let the witness run");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Many,
    Last,
}

#[pycos::test]
async fn receiving_messages_set_aside_gives_way(task: TaskCtx) {
    let mut inbox = CategorizeMessages::new(&task);
    inbox.add(|msg: &Msg| match msg.downcast_ref::<u32>() {
        Some(0) => Some(Kind::Last),
        Some(_) => Some(Kind::Many),
        None => None,
    });
    for n in 1..=READY_WAITS as u32 {
        task.send(n).unwrap();
    }
    task.send(0_u32).unwrap();
    // Sets every `Many` aside (through the mailbox, charged there).
    inbox.receive(Kind::Last).await;
    assert_eq!(inbox.len(Kind::Many), READY_WAITS);
    let witness_ran = start_witness();
    for _ in 0..READY_WAITS {
        inbox.receive(Kind::Many).await;
    }
    assert!(witness_ran(), "receiving set-aside messages never gave way");
}

#[pycos::test]
async fn collecting_finished_pool_jobs_gives_way() {
    let pool = AsyncThreadPool::new(2);
    let jobs: Vec<_> = (0..1_000).map(|n| pool.async_task(move || n)).collect();
    within("the pool to finish its jobs", pool.join()).await;
    let witness_ran = start_witness();
    for job in jobs {
        job.await.unwrap();
    }
    assert!(witness_ran(), "collecting ready job results never gave way");
}
