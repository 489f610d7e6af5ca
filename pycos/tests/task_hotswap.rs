//! hot_swappable / hot_swap: applied at interruption points, mailbox kept,
//! declined by catching.

use pycos::prelude::*;

#[task]
fn collector(report: Task, label: &'static str, task: TaskCtx) {
    task.hot_swappable(true);
    loop {
        match task.receive().catch().await {
            Ok(msg) => {
                let n = *msg.downcast_ref::<u32>().unwrap();
                report.send((label, n)).unwrap();
            }
            Err(Interrupt::HotSwap(swap)) if swap.name().starts_with("collector") => swap.accept(),
            Err(Interrupt::HotSwap(swap)) => {
                report.send(("declined", 0_u32)).unwrap();
                swap.decline();
            }
            Err(other) => other.rethrow(),
        }
    }
}

#[task]
fn collector2(report: Task, task: TaskCtx) {
    collector_body(report, "new", task).await;
}

async fn collector_body(report: Task, label: &'static str, task: TaskCtx) {
    loop {
        let msg = task.receive().await;
        report
            .send((label, *msg.downcast_ref::<u32>().unwrap()))
            .unwrap();
    }
}

#[task]
fn other_fn() {}

async fn next(task: &TaskCtx) -> (&'static str, u32) {
    *task
        .receive()
        .await
        .downcast_ref::<(&'static str, u32)>()
        .unwrap()
}

#[pycos::test(virtual_clock)]
async fn swap_keeps_queued_messages_and_renames(task: TaskCtx) {
    let c = Task::new(collector(task.handle(), "old"));
    c.send(1_u32).unwrap();
    assert_eq!(next(&task).await, ("old", 1));
    // The swap and two messages arrive together: the swap is caught first
    // and accepted, and the new body receives both queued messages.
    c.hot_swap(collector2(task.handle())).unwrap();
    c.send(2_u32).unwrap();
    c.send(3_u32).unwrap();
    assert_eq!(next(&task).await, ("new", 2));
    assert_eq!(next(&task).await, ("new", 3));
    assert_eq!(c.name(), "collector2");
    c.terminate().unwrap();
}

#[pycos::test(virtual_clock)]
async fn swap_can_be_declined(task: TaskCtx) {
    let c = Task::new(collector(task.handle(), "old"));
    task.sleep(1.0).await;
    c.hot_swap(other_fn()).unwrap();
    assert_eq!(next(&task).await, ("declined", 0));
    c.send(5_u32).unwrap();
    assert_eq!(next(&task).await, ("old", 5), "the old body still runs");
    assert_eq!(c.name(), "collector");
    c.terminate().unwrap();
}

#[task]
fn reluctant(task: TaskCtx) -> &'static str {
    task.sleep(5.0).await;
    task.hot_swappable(true);
    task.sleep(100.0).await;
    "old body finished"
}

#[task]
fn replacement() -> &'static str {
    "replacement finished"
}

#[pycos::test(virtual_clock)]
async fn swap_waits_until_hot_swappable(task: TaskCtx) {
    let r = Task::new(reluctant());
    task.sleep(1.0).await;
    r.hot_swap(replacement()).unwrap();
    task.sleep(2.0).await;
    assert_eq!(r.name(), "reluctant", "not swappable yet");
    assert_eq!(r.finish().await.unwrap(), "replacement finished");
    let now = pycos::time::now().unwrap();
    assert!(
        (5.0..6.0).contains(&now),
        "applied once swappable, at {now}"
    );
}

#[pycos::test]
async fn hot_swap_of_an_ended_task_fails() {
    let t = Task::new(replacement());
    t.finish().await.unwrap();
    assert!(t.hot_swap(replacement()).is_err());
}
