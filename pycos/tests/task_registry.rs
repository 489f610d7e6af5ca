//! register / unregister / locate by name, for tasks and beside channels.

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

#[task]
fn self_named(task: TaskCtx) {
    task.register_self().unwrap();
    task.suspend().await;
}

#[pycos::test(virtual_clock)]
async fn register_self_uses_the_task_name_until_the_task_ends(task: TaskCtx) {
    let server = Task::new(self_named());
    task.sleep(0.1).await;
    assert_eq!(Task::locate("self_named").await, Some(server.untyped()));
    let twin = Task::new(self_named().named("twin"));
    task.sleep(0.1).await;
    assert_eq!(
        Task::locate("twin").await,
        Some(twin.untyped()),
        "the given name"
    );
    assert_eq!(
        task.register("self_named"),
        Err(RegisterError::Taken("self_named".into()))
    );
    server.terminate().unwrap();
    server.finish().await.ok();
    assert_eq!(
        Task::locate("self_named").await,
        None,
        "released when the task ends"
    );
    twin.terminate().unwrap();
    twin.finish().await.ok();
    assert_eq!(Task::locate("twin").await, None);
}

#[pycos::test]
async fn register_self_then_unregister_by_name(task: TaskCtx) {
    task.register_self().unwrap();
    let me = task.name().to_owned();
    assert_eq!(Task::locate(&me).await, Some(task.handle()));
    assert_eq!(task.register_self(), Err(RegisterError::Taken(me.clone())));
    task.unregister(&me).unwrap();
    assert_eq!(Task::locate(&me).await, None);
}

#[pycos::test]
async fn tasks_and_channels_have_separate_namespaces(task: TaskCtx) {
    task.register("shared-name").unwrap();
    let channel = Channel::new("shared-name").expect("a task's name does not block a channel's");
    channel.register().unwrap();
    assert_eq!(Task::locate("shared-name").await, Some(task.handle()));
    assert_eq!(Channel::locate("shared-name").await, Some(channel.clone()));
    task.unregister("shared-name").unwrap();
    assert_eq!(Task::locate("shared-name").await, None);
    assert!(
        Channel::locate("shared-name")
            .await
            .is_some_and(|c| c.is_registered()),
        "the channel keeps its entry and its registration"
    );
    channel.close();
    assert_eq!(Channel::locate("shared-name").await, None);
    task.register("shared-name")
        .expect("closing the channel leaves task names alone");
    assert!(
        !channel.is_registered(),
        "a closed channel is not registered"
    );
}
