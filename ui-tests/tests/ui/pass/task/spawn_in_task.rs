use pycos::prelude::*;

#[task]
fn child(n: u32, task: TaskCtx) -> u32 {
    task.sleep(0.001).await;
    n + 1
}

#[task]
fn parent(task: TaskCtx) -> Result<u32, TaskError> {
    let kid = Task::new(child(41));
    task.monitor(&kid).await.ok();
    let status = task.receive().await;
    assert!(status.is::<MonitorStatus>());
    kid.finish().await
}

fn main() {
    assert_eq!(Task::new(parent()).value().unwrap(), 42);
    Pycos::instance().finish().unwrap();
}
