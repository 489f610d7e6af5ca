//! suspend / sleep / resume.

use pycos::prelude::*;

#[task]
fn sleeper(task: TaskCtx) -> Option<String> {
    let update = task.sleep(10.0).await?;
    update.downcast::<String>().ok()
}

#[pycos::test(virtual_clock)]
async fn resume_ends_a_sleep_with_its_update(task: TaskCtx) {
    let s = Task::new(sleeper());
    task.sleep(1.0).await;
    s.resume(String::from("early")).unwrap();
    assert_eq!(s.finish().await.unwrap().as_deref(), Some("early"));
}

#[pycos::test(virtual_clock)]
async fn sleep_times_out_without_resume() {
    let s = Task::new(sleeper());
    assert_eq!(s.finish().await.unwrap(), None);
}

#[pycos::test(virtual_clock)]
async fn resume_is_ignored_when_not_suspended(task: TaskCtx) {
    #[task]
    fn receiver(task: TaskCtx) -> u32 {
        *task.receive().await.downcast_ref::<u32>().unwrap()
    }
    let r = Task::new(receiver());
    task.sleep(0.1).await;
    // Not suspended (it waits for a message): ignored, but not an error.
    assert!(r.resume(1_u8).is_ok());
    r.send(9_u32).unwrap();
    assert_eq!(r.finish().await.unwrap(), 9);
    // A resume of an ended task is an error.
    assert!(r.resume(()).is_err());
    assert!(r.wakeup(()).is_err());
}

#[pycos::test(virtual_clock)]
async fn suspend_without_timeout_waits_for_resume(task: TaskCtx) {
    #[task]
    fn waiter(task: TaskCtx) -> u32 {
        *task.suspend().await.downcast_ref::<u32>().unwrap()
    }
    let w = Task::new(waiter());
    task.sleep(1000.0).await;
    assert!(w.is_alive(), "suspend has no time limit");
    w.resume(3_u32).unwrap();
    assert_eq!(w.finish().await.unwrap(), 3);
}

#[pycos::test(virtual_clock)]
async fn sleeps_end_in_deadline_order(task: TaskCtx) {
    #[task]
    fn nap(secs: f64, report: Task, task: TaskCtx) {
        task.sleep(secs).await;
        report.send(secs).unwrap();
    }
    let me = task.handle();
    for secs in [3.0, 1.0, 2.0, 0.5] {
        Task::new(nap(secs, me.clone()));
    }
    let mut order = Vec::new();
    for _ in 0..4 {
        order.push(*task.receive().await.downcast_ref::<f64>().unwrap());
    }
    assert_eq!(order, [0.5, 1.0, 2.0, 3.0]);
}

#[pycos::test(virtual_clock)]
async fn durations_and_seconds_are_both_accepted(task: TaskCtx) {
    let start = pycos::time::now().unwrap();
    task.sleep(std::time::Duration::from_millis(1500)).await;
    task.sleep(1).await;
    let elapsed = pycos::time::now().unwrap() - start;
    assert!((2.5..2.51).contains(&elapsed), "{elapsed}");
}
