//! Fairness: a task whose awaits complete at once still gives way (the
//! cooperative budget), and `sleep(0)` / `yield_now` let the others run.

#[path = "support/fairness.rs"]
mod fairness;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use pycos::prelude::*;

use fairness::observer;

/// Rounds the busy tasks below make; far more than one budget.
const ROUNDS: usize = 100_000;

/// Receives its own messages as fast as it can: every receive is ready.
#[task]
fn self_feeder(done: Arc<AtomicUsize>, task: TaskCtx) {
    for _ in 0..ROUNDS {
        task.send(()).unwrap();
        task.receive().await;
        done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Starts the busy task and the observer together (both queued before
/// either runs), and gives what the observer saw.
#[task]
fn race() -> usize {
    let (seen, ()) = fairness::race(self_feeder).await;
    seen
}

#[test]
fn a_task_with_messages_always_queued_gives_way() {
    let sched = Pycos::new();
    let seen = sched.spawn(race()).value().unwrap();
    assert!(
        seen < ROUNDS,
        "the observer ran only after the busy task's {ROUNDS} ready receives: no budget"
    );
    sched.finish().unwrap();
}

/// Drains a mailbox filled by threads faster than it empties.
#[task]
fn drain(count: Arc<AtomicUsize>, ready: std::sync::mpsc::Sender<()>, task: TaskCtx) {
    ready.send(()).unwrap();
    task.suspend().await; // until the mailbox is full
    loop {
        task.receive().await;
        count.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn a_mailbox_fed_by_threads_does_not_freeze_the_scheduler() {
    let sched = Pycos::new();
    let drained = Arc::new(AtomicUsize::new(0));
    let (ready, suspended) = std::sync::mpsc::channel();
    let drainer = sched.spawn(drain(drained.clone(), ready));
    suspended.recv().unwrap();
    // Fill the mailbox from four threads while the drainer is suspended.
    let feeders: Vec<_> = (0..4)
        .map(|_| {
            let target = drainer.untyped();
            std::thread::spawn(move || {
                for i in 0..ROUNDS {
                    target.send(i).unwrap();
                }
            })
        })
        .collect();
    for feeder in feeders {
        feeder.join().unwrap();
    }
    // Resumed, the drainer finds 400k messages; a task spawned right after
    // it must run long before they are all drained.
    drainer.resume(()).unwrap();
    let seen = sched.spawn(observer(drained.clone())).value().unwrap();
    assert!(seen > 0, "the drainer did not run before the observer");
    assert!(
        seen < 4 * ROUNDS,
        "a new task waited for the whole mailbox to drain: no budget"
    );
    drainer.terminate().unwrap();
    sched.finish().unwrap();
}

#[task]
fn take_turns(me: char, rounds: usize, log: Arc<Mutex<String>>, task: TaskCtx) {
    for _ in 0..rounds {
        log.lock().unwrap().push(me);
        task.sleep(0.0).await;
    }
}

/// Starts both on the scheduler thread, so neither runs before the other
/// exists (spawned from outside, `a` could take turns alone until `b`
/// arrives).
#[task]
fn start_both(log: Arc<Mutex<String>>) {
    let a = Task::new(take_turns('a', 3, log.clone()));
    let b = Task::new(take_turns('b', 3, log));
    a.finish().await.unwrap();
    b.finish().await.unwrap();
}

#[test]
fn tasks_sleeping_zero_alternate() {
    let sched = Pycos::new();
    let log = Arc::new(Mutex::new(String::new()));
    sched.spawn(start_both(log.clone())).value().unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        "ababab",
        "sleep(0) must give the other task a turn"
    );
    sched.finish().unwrap();
}

#[pycos::test(virtual_clock)]
async fn sleep_zero_takes_no_time_and_times_out(task: TaskCtx) {
    let before = pycos::time::now().unwrap();
    assert!(task.sleep(0.0).await.is_none());
    assert!(task.sleep(-1.0).await.is_none());
    assert!(task.receive().timeout(0.0).await.is_none());
    assert_eq!(pycos::time::now().unwrap(), before);
}

#[pycos::test]
async fn a_zero_timeout_still_takes_what_is_ready(task: TaskCtx) {
    task.send(7_u32).unwrap();
    let msg = task
        .receive()
        .timeout(0.0)
        .await
        .expect("a queued message is ready");
    assert_eq!(msg.downcast_ref::<u32>(), Some(&7));
}

#[pycos::test]
async fn short_timeouts_still_take_ready_messages_after_the_budget_is_spent(task: TaskCtx) {
    for i in 0..1000_u32 {
        task.send(i).unwrap();
    }
    let mut drained = 0;
    while task.receive().timeout(0.0).await.is_some() {
        drained += 1;
    }
    assert_eq!(
        drained, 1000,
        "a zero-limit receive gave None with messages queued"
    );
}
