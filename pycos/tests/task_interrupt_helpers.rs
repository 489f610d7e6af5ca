//! Interrupts and helper `async fn`s: a hot swap waits until the helper
//! the task awaits has returned; a throw reaches a `.catch()` inside the
//! helper, or ends the task; nothing runs before an interrupt aimed at a
//! task that has not started.

#[path = "support/oops.rs"]
mod oops;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pycos::prelude::*;

use oops::Oops;

async fn slow_helper(task: &TaskCtx, log: &Task) {
    task.sleep(5.0).await;
    log.send("helper done").unwrap();
}

#[task]
fn worker(log: Task, task: TaskCtx) {
    task.hot_swappable(true);
    loop {
        slow_helper(&task, &log).await; // a helper: no swap inside it
        task.receive().await; // the task's own wait: a swap applies here
    }
}

#[task]
fn replacement(log: Task) {
    log.send("replaced").unwrap();
}

async fn next_text(task: &TaskCtx) -> &'static str {
    let msg = task
        .receive()
        .timeout(100.0)
        .await
        .expect("a report within 100 s");
    *msg.downcast_ref::<&'static str>().unwrap()
}

#[pycos::test(virtual_clock)]
async fn a_swap_waits_until_the_awaited_helper_returns(task: TaskCtx) {
    let w = Task::new(worker(task.handle()));
    task.sleep(1.0).await; // the worker is inside the helper's sleep
    w.hot_swap(replacement(task.handle())).unwrap();
    assert_eq!(
        next_text(&task).await,
        "helper done",
        "the helper was abandoned"
    );
    assert_eq!(next_text(&task).await, "replaced");
    assert!(pycos::time::now().unwrap() >= 5.0);
}

async fn catching_helper(task: &TaskCtx) -> &'static str {
    match task.sleep(10.0).catch().await {
        Err(Interrupt::Thrown(_)) => "caught",
        Err(_) => "other interrupt",
        Ok(_) => "slept",
    }
}

#[task]
fn catches_in_a_helper(task: TaskCtx) -> &'static str {
    catching_helper(&task).await
}

#[pycos::test(virtual_clock)]
async fn a_catch_inside_a_helper_receives_a_throw(task: TaskCtx) {
    let t = Task::new(catches_in_a_helper());
    task.sleep(1.0).await;
    t.throw(Oops).unwrap();
    assert_eq!(t.finish().await.unwrap(), "caught");
    assert!(pycos::time::now().unwrap() < 10.0);
}

#[task]
fn sleeps_in_a_helper(task: TaskCtx) {
    let log = task.handle();
    slow_helper(&task, &log).await;
}

#[pycos::test(virtual_clock)]
async fn an_uncaught_throw_ends_a_task_inside_a_helper(task: TaskCtx) {
    let t = Task::new(sleeps_in_a_helper());
    task.sleep(1.0).await;
    t.throw(Oops).unwrap();
    assert!(matches!(t.finish().await, Err(TaskError::Thrown(_))));
    assert!(
        pycos::time::now().unwrap() < 5.0,
        "the throw waited for the helper"
    );
}

#[task]
fn marks_when_run(ran: Arc<AtomicBool>, task: TaskCtx) {
    ran.store(true, Ordering::SeqCst);
    task.sleep(1.0).await;
}

#[pycos::test(virtual_clock)]
async fn a_throw_before_the_first_run_runs_none_of_its_code(_task: TaskCtx) {
    let ran = Arc::new(AtomicBool::new(false));
    let child = Task::new(marks_when_run(ran.clone()));
    child.throw(Oops).unwrap(); // the child is queued, not started
    assert!(matches!(child.finish().await, Err(TaskError::Thrown(_))));
    assert!(
        !ran.load(Ordering::SeqCst),
        "code ran before the throw applied"
    );

    let ran = Arc::new(AtomicBool::new(false));
    let child = Task::new(marks_when_run(ran.clone()));
    child.terminate().unwrap();
    assert!(matches!(child.finish().await, Err(TaskError::Terminated)));
    assert!(
        !ran.load(Ordering::SeqCst),
        "code ran before the terminate applied"
    );
}
