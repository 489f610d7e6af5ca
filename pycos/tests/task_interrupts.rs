//! throw and terminate: where they act, what they wake, what they run.

#[path = "support/oops.rs"]
mod oops;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pycos::prelude::*;
use pycos::{ThrowError, ThrownError};

use oops::Oops;

#[task]
fn receive_forever(task: TaskCtx) {
    loop {
        task.receive().await;
    }
}

#[pycos::test(virtual_clock)]
async fn uncaught_throw_ends_a_receiving_task(task: TaskCtx) {
    let r = Task::new(receive_forever());
    task.sleep(1.0).await;
    r.throw(Oops).unwrap();
    match r.finish().await {
        Err(TaskError::Thrown(err)) => {
            assert!(err.get_ref().downcast_ref::<Oops>().is_some());
            assert_eq!(err.to_string(), "oops");
        }
        other => panic!("expected a thrown error, got {other:?}"),
    }
}

#[task]
fn catcher(task: TaskCtx) -> String {
    match task.receive().catch().await {
        Ok(_) => "message".to_owned(),
        Err(Interrupt::Thrown(err)) => format!("caught {err}"),
        Err(other) => format!("unexpected {other}"),
    }
}

#[pycos::test(virtual_clock)]
async fn throw_wakes_a_receiver_that_catches(task: TaskCtx) {
    let c = Task::new(catcher());
    task.sleep(1.0).await;
    c.throw("zz").unwrap();
    assert_eq!(c.finish().await.unwrap(), "caught zz");
}

#[pycos::test(virtual_clock)]
async fn throw_wakes_a_sleeper(task: TaskCtx) {
    #[task]
    fn long_sleep(task: TaskCtx) -> bool {
        matches!(task.sleep(100.0).catch().await, Err(Interrupt::Thrown(_)))
    }
    let s = Task::new(long_sleep());
    task.sleep(1.0).await;
    let start = pycos::time::now().unwrap();
    s.throw("wake").unwrap();
    assert!(s.finish().await.unwrap());
    assert!(
        pycos::time::now().unwrap() - start < 1.0,
        "woken, not timed out"
    );
}

#[pycos::test(virtual_clock)]
async fn rethrown_error_ends_the_task(task: TaskCtx) {
    #[task]
    fn rethrower(task: TaskCtx) {
        if let Err(interrupt) = task.receive().catch().await {
            interrupt.rethrow();
        }
        // The rethrown error takes effect at this interruption point,
        // even though the wait catches.
        let _ = task.sleep(5.0).catch().await;
        panic!("not reached");
    }
    let r = Task::new(rethrower());
    task.sleep(1.0).await;
    r.throw("again").unwrap();
    let err = r.finish().await.unwrap_err();
    assert!(
        matches!(&err, TaskError::Thrown(e) if e.to_string() == "again"),
        "{err:?}"
    );
}

#[pycos::test]
async fn throw_into_self_or_dead_task_fails(task: TaskCtx) {
    let err = task.throw("self").unwrap_err();
    assert!(err.is_self_throw() && !err.is_ended(), "{err:?}");
    assert_eq!(
        err.into_inner().to_string(),
        "self",
        "the error is handed back"
    );
    #[task]
    fn done() {}
    let d = Task::new(done());
    d.finish().await.unwrap();
    let err: ThrowError = d.throw("late").unwrap_err();
    assert!(err.is_ended() && !err.is_self_throw(), "{err:?}");
    let back: ThrownError = err.into_inner();
    assert_eq!(back.get_ref().to_string(), "late");
}

struct SetOnDrop(Arc<AtomicBool>);
impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[task]
fn guarded(flag: Arc<AtomicBool>, task: TaskCtx) {
    let _guard = SetOnDrop(flag);
    task.suspend().await;
}

#[pycos::test(virtual_clock)]
async fn terminate_runs_destructors_and_notifies_monitors(task: TaskCtx) {
    let dropped = Arc::new(AtomicBool::new(false));
    let g = Task::new(guarded(dropped.clone()));
    task.monitor(&g).await.unwrap();
    task.sleep(1.0).await;
    assert!(!dropped.load(Ordering::SeqCst));
    g.terminate().unwrap();
    let status = task.receive().await;
    let status = status
        .downcast_ref::<MonitorStatus>()
        .expect("a MonitorStatus");
    assert_eq!(status.task, g);
    assert!(matches!(status.result, Err(TaskError::Terminated)));
    assert!(dropped.load(Ordering::SeqCst), "the body's destructors ran");
    assert!(g.terminate().is_err(), "terminating twice fails");
}

#[pycos::test(virtual_clock)]
async fn terminate_self_ends_at_the_next_await() {
    #[task]
    fn quitter(flag: Arc<AtomicBool>, task: TaskCtx) {
        task.terminate().unwrap();
        flag.store(true, Ordering::SeqCst); // still runs: no await yet
        task.sleep(1.0).await;
        panic!("not reached");
    }
    let ran = Arc::new(AtomicBool::new(false));
    let q = Task::new(quitter(ran.clone()));
    assert!(q.finish().await.unwrap_err().is_terminated());
    assert!(ran.load(Ordering::SeqCst));
}

/// An await the macro cannot see (inside a macro invocation) is not an
/// interruption point.
macro_rules! hidden_await {
    ($wait:expr) => {
        $wait.await
    };
}

#[pycos::test(virtual_clock)]
async fn throw_waits_for_an_interruption_point(task: TaskCtx) {
    #[task]
    fn shielded(progress: Task, task: TaskCtx) {
        hidden_await!(task.sleep(2.0));
        progress.send("left the shielded wait").unwrap();
        task.sleep(10.0).await; // an interruption point: the throw lands here
        progress.send("not reached").unwrap();
    }
    let s = Task::new(shielded(task.handle()));
    task.sleep(1.0).await;
    s.throw("x").unwrap();
    assert!(s.finish().await.unwrap_err().is_thrown());
    let now = pycos::time::now().unwrap();
    assert!(
        (2.0..3.0).contains(&now),
        "ended after the shielded sleep, at {now}"
    );
    let progress = task.receive().timeout(0).await.unwrap();
    assert_eq!(
        progress.downcast_ref::<&str>(),
        Some(&"left the shielded wait")
    );
    assert!(task.receive().timeout(0).await.is_none());
}
