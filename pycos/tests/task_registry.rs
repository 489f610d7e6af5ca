//! register / unregister / locate by name.

use pycos::RegisterError;
use pycos::prelude::*;

#[task]
fn named(name: &'static str, task: TaskCtx) {
    task.register(name).unwrap();
    task.suspend().await;
}

#[pycos::test(virtual_clock)]
async fn locate_finds_registered_tasks(task: TaskCtx) {
    task.register("me").unwrap();
    assert_eq!(Task::locate("me").await, Some(task.handle()));
    let other = Task::new(named("server"));
    task.sleep(0.1).await;
    assert_eq!(Task::locate("server").await, Some(other.untyped()));
    assert_eq!(Task::locate("nobody").await, None);
    assert_eq!(
        task.register("server"),
        Err(RegisterError::Taken("server".into()))
    );
    other.terminate().unwrap();
    other.finish().await.ok();
    assert_eq!(
        Task::locate("server").await,
        None,
        "released when the task ends"
    );
}

#[pycos::test]
async fn invalid_names_and_unregister(task: TaskCtx) {
    assert!(matches!(
        task.register(""),
        Err(RegisterError::InvalidName(_))
    ));
    assert!(matches!(
        task.register("^sys"),
        Err(RegisterError::InvalidName(_))
    ));
    task.register("x").unwrap();
    task.unregister("x").unwrap();
    assert_eq!(
        task.unregister("x"),
        Err(RegisterError::NotRegistered("x".into()))
    );
    assert_eq!(Task::locate("x").await, None);
}
