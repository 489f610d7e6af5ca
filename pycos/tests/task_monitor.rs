//! monitor / notify and MonitorStatus for every way a task ends.

use pycos::prelude::*;

#[task]
fn ends_with(how: &'static str, task: TaskCtx) -> u32 {
    task.sleep(1.0).await;
    match how {
        "panic" => panic!("it broke"),
        "wait" => {
            task.suspend().await;
            0
        }
        _ => 42,
    }
}

async fn status_of(task: &TaskCtx) -> MonitorStatus {
    let msg = task.receive().await;
    msg.downcast_ref::<MonitorStatus>()
        .expect("a MonitorStatus")
        .clone()
}

#[pycos::test(virtual_clock)]
async fn normal_end_reports_the_value(task: TaskCtx) {
    let t = Task::new(ends_with("value"));
    task.monitor(&t).await.unwrap();
    let status = status_of(&task).await;
    assert_eq!(status.task, t);
    assert_eq!(status.result.unwrap().downcast_ref::<u32>(), Some(&42));
}

#[pycos::test(virtual_clock)]
async fn a_panic_becomes_a_monitor_status(task: TaskCtx) {
    let t = Task::new(ends_with("panic"));
    task.monitor(&t).await.unwrap();
    let status = status_of(&task).await;
    assert!(matches!(&status.result, Err(TaskError::Panicked(text)) if text == "it broke"));
    // The scheduler survived: tasks still run.
    let after = Task::new(ends_with("value"));
    assert_eq!(after.finish().await.unwrap(), 42);
}

#[pycos::test(virtual_clock)]
async fn thrown_error_reaches_monitors(task: TaskCtx) {
    let t = Task::new(ends_with("wait"));
    task.monitor(&t).await.unwrap();
    task.sleep(2.0).await;
    t.throw("stop").unwrap();
    let status = status_of(&task).await;
    assert!(matches!(&status.result, Err(TaskError::Thrown(e)) if e.to_string() == "stop"));
}

#[pycos::test(virtual_clock)]
async fn notify_adds_another_task_as_monitor(task: TaskCtx) {
    #[task]
    fn watcher(task: TaskCtx) -> bool {
        task.receive().await.is::<MonitorStatus>()
    }
    let w = Task::new(watcher());
    let t = Task::new(ends_with("value"));
    t.notify(&w).unwrap();
    t.notify(&w).unwrap(); // once only
    assert!(w.finish().await.unwrap());
    assert!(task.receive().timeout(0).await.is_none());
}

#[pycos::test(virtual_clock)]
async fn monitoring_an_ended_task_fails(task: TaskCtx) {
    let t = Task::new(ends_with("value"));
    t.finish().await.unwrap();
    assert!(task.monitor(&t).await.is_err());
}
