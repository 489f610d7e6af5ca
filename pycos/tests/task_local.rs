//! `#[task(local)]` and `TaskCtx::spawn_local`: tasks of one scheduler
//! sharing `Rc<RefCell<_>>` state, started on the caller's scheduler.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use pycos::prelude::*;

type Shared = Rc<RefCell<Vec<(&'static str, u32)>>>;

#[task(local)]
fn append(log: Shared, who: &'static str, period: f64, task: TaskCtx) -> usize {
    for i in 0..3 {
        task.sleep(period).await;
        log.borrow_mut().push((who, i));
    }
    log.borrow().len()
}

#[pycos::test(virtual_clock)]
async fn two_local_tasks_mutate_one_vec(task: TaskCtx) {
    let log = Shared::default();
    let a = task.spawn_local(append(log.clone(), "a", 1.0));
    let b = task.spawn_local(append(log.clone(), "b", 1.25));
    // a writes at 1, 2, 3; b at 1.25, 2.5, 3.75.
    assert_eq!(a.finish().await.unwrap(), 5);
    assert_eq!(b.finish().await.unwrap(), 6);
    let want = [("a", 0), ("b", 0), ("a", 1), ("b", 1), ("a", 2), ("b", 2)];
    assert_eq!(*log.borrow(), want);
    assert_eq!(Rc::strong_count(&log), 1, "ended tasks dropped their Rc");
}

#[task(local)]
fn where_am_i(seen: Rc<Cell<Option<String>>>) {
    seen.set(Pycos::scheduler().map(|s| s.name().to_owned()));
}

#[task]
fn parent(task: TaskCtx) -> Option<String> {
    let seen = Rc::new(Cell::new(None));
    task.spawn_local(where_am_i(seen.clone()))
        .finish()
        .await
        .unwrap();
    seen.take()
}

#[test]
fn a_local_task_runs_on_the_callers_scheduler() {
    let other = Pycos::builder().name("other").build().unwrap();
    let home = Pycos::builder().name("home").build().unwrap();
    assert_eq!(
        home.spawn(parent()).value().unwrap().as_deref(),
        Some("home")
    );
    other.finish().unwrap();
    home.finish().unwrap();
}

#[task(local)]
fn explode(_keep: Rc<()>) {
    panic!("local boom");
}

#[task(local)]
fn wait_forever(_keep: Rc<()>, task: TaskCtx) {
    task.suspend().await;
}

#[pycos::test]
async fn local_tasks_fail_and_end_like_others(task: TaskCtx) {
    let keep = Rc::new(());
    let boom = task.spawn_local(explode(keep.clone()));
    assert!(boom.finish().await.unwrap_err().is_panic());
    let waiter = task.spawn_local(wait_forever(keep.clone()));
    task.monitor(&waiter).await.unwrap();
    // The handle is an ordinary `Task`: `Send`, it can be terminated.
    std::thread::scope(|s| {
        s.spawn(|| waiter.terminate().unwrap());
    });
    assert!(waiter.finish().await.unwrap_err().is_terminated());
    let status = task.receive().await;
    assert!(status.is::<MonitorStatus>());
    assert_eq!(Rc::strong_count(&keep), 1, "both bodies were dropped");
}

#[task]
fn replacement() -> &'static str {
    "swapped"
}

#[task(local)]
fn swappable(_keep: Rc<()>, task: TaskCtx) -> &'static str {
    task.hot_swappable(true);
    task.suspend().await;
    "not swapped"
}

#[pycos::test]
async fn a_local_task_can_be_swapped_to_an_ordinary_spec(task: TaskCtx) {
    let local = task.spawn_local(swappable(Rc::new(())));
    task.sleep(0.01).await;
    local.hot_swap(replacement()).unwrap();
    assert_eq!(local.finish().await.unwrap(), "swapped");
}
