//! Containment: nothing user code does stops the scheduler thread, and if
//! the thread dies anyway, every waiter hears of it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use pycos::SchedulerError;
use pycos::prelude::*;

/// A message whose destructor panics.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            panic!("Bomb dropped");
        }
    }
}

#[task]
fn ends_at_first_message(task: TaskCtx) {
    task.receive().await; // leaves the second message unread
}

#[task]
fn double(n: u32) -> u32 {
    n * 2
}

/// How long a bounded wait below may take before the test fails.
const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn a_message_whose_drop_panics_does_not_kill_the_scheduler() {
    let sched = Pycos::new();
    let t = sched.spawn(ends_at_first_message());
    t.send(1_u8).unwrap();
    t.send(Bomb).unwrap(); // dropped with the ended task's mailbox
    t.value_timeout(LIMIT).expect("the task ends");
    // The scheduler goes on: later tasks run and give their values.
    let later = sched.spawn(double(21));
    assert_eq!(later.value_timeout(LIMIT).expect("a later task runs"), 42);
    assert!(sched.is_alive());
    drop(t);
    sched.finish().unwrap();
}

#[task]
fn returns_a_bomb() -> Arc<BombBox> {
    Arc::new(BombBox(std::sync::Mutex::new(Some(Bomb))))
}

/// A `Bomb` as a task value (values must be `Sync + Clone`).
struct BombBox(#[allow(dead_code)] std::sync::Mutex<Option<Bomb>>);

#[task]
fn drop_a_bombs_value() -> u32 {
    // The child's handle is dropped here; its value goes with the last
    // reference, on the scheduler thread.
    let child = Task::new(returns_a_bomb());
    drop(child.finish().await);
    drop(child);
    7
}

#[test]
fn a_task_value_whose_drop_panics_does_not_kill_the_scheduler() {
    let sched = Pycos::new();
    let _ = sched.spawn(drop_a_bombs_value()).value_timeout(LIMIT);
    let later = sched.spawn(double(2));
    assert_eq!(later.value_timeout(LIMIT).expect("a later task runs"), 4);
    sched.finish().unwrap();
}

#[task]
fn wait_forever(task: TaskCtx) {
    task.suspend().await;
}

#[task]
fn daemon_forever(task: TaskCtx) {
    task.set_daemon(true);
    task.suspend().await;
}

#[task]
fn finish_of(other: Task<()>) -> bool {
    matches!(other.finish().await, Err(TaskError::SchedulerDied(_)))
}

#[test]
fn a_dead_scheduler_fails_every_waiter_and_refuses_work() {
    let sched = Pycos::new();
    let stuck = sched.spawn(wait_forever());
    // A waiter on another scheduler, and one in a thread.
    let other = Pycos::new();
    let watcher = other.spawn(finish_of(stuck.clone()));
    let blocked = {
        let stuck = stuck.clone();
        std::thread::spawn(move || stuck.value_timeout(LIMIT))
    };
    pycos::__private::fail_scheduler(&sched);
    match blocked.join().unwrap() {
        Err(pycos::ValueError::Task(TaskError::SchedulerDied(reason))) => {
            assert!(reason.contains("injected"), "reason: {reason}");
        }
        other => panic!("the blocked thread got {other:?}"),
    }
    assert!(
        watcher.value_timeout(LIMIT).unwrap(),
        "the other scheduler's waiter got no error"
    );
    assert_eq!(sched.join(), Err(SchedulerError::Died));
    let refused = sched.spawn(double(1));
    assert!(matches!(
        refused.value_timeout(LIMIT),
        Err(pycos::ValueError::Task(TaskError::SchedulerDied(_)))
    ));
    assert_eq!(sched.finish(), Err(SchedulerError::Died));
    assert!(!sched.is_alive());
    other.finish().unwrap();
}

#[task]
fn picky(task: TaskCtx) -> u32 {
    let me = task.handle();
    // Touching the task itself (formatting it locks its state) in the
    // predicate must not deadlock.
    let msg = task
        .receive_matching(move |m| !me.to_string().is_empty() && m.is::<u32>())
        .await;
    *msg.downcast_ref::<u32>().unwrap()
}

#[test]
fn a_predicate_may_touch_its_own_task() {
    let sched = Pycos::new();
    let t = sched.spawn(picky());
    t.send("not this").unwrap();
    t.send(5_u32).unwrap();
    assert_eq!(t.value_timeout(LIMIT).expect("no deadlock"), 5);
    sched.finish().unwrap();
}

#[test]
fn a_panicking_atexit_hook_does_not_stop_the_others_or_the_stop() {
    let sched = Pycos::new();
    let ran = Arc::new(AtomicBool::new(false));
    sched.atexit(2, || panic!("hook failed"));
    let flag = ran.clone();
    sched.atexit(1, move || flag.store(true, Ordering::SeqCst));
    let daemon = sched.spawn(daemon_forever());
    sched.finish().expect("finish completes");
    assert!(ran.load(Ordering::SeqCst), "the later hook did not run");
    assert!(!sched.is_alive(), "the scheduler still runs");
    assert!(!daemon.is_alive());
}

/// Counts its drops.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[task]
fn ends_when_resumed(task: TaskCtx) {
    task.suspend().await;
}

#[test]
fn an_ended_task_frees_its_unread_messages() {
    let sched = Pycos::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let t = sched.spawn(ends_when_resumed());
    for _ in 0..1000 {
        t.send(Counted(drops.clone())).unwrap();
    }
    // The resume is ignored if it comes before the task suspends: retry.
    for _ in 0..2000 {
        if t.resume(()).is_err() || t.value_timeout(0.01).is_ok() {
            break;
        }
    }
    t.value_timeout(LIMIT).expect("the task ends");
    // The handle is still held; the unread messages are gone anyway.
    assert_eq!(drops.load(Ordering::SeqCst), 1000);
    assert!(t.send(Counted(drops.clone())).is_err());
    sched.finish().unwrap();
}

#[task]
fn waits_for_itself(task: TaskCtx) -> bool {
    let me: Task<Msg> = task.handle();
    matches!(me.finish().await, Err(TaskError::SelfWait))
}

#[test]
fn a_task_awaiting_its_own_finish_gets_an_error() {
    let sched = Pycos::new();
    assert!(
        sched
            .spawn(waits_for_itself())
            .value_timeout(LIMIT)
            .unwrap()
    );
    sched.finish().unwrap();
}
