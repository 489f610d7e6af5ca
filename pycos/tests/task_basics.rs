//! Task creation, values, names and identity.

use pycos::prelude::*;

#[task]
fn add(a: u32, b: u32) -> u32 {
    a + b
}

#[task]
fn greet(name: String, task: TaskCtx) -> String {
    task.sleep(0.5).await;
    format!("{}: hello {name}", task.name())
}

#[pycos::test(virtual_clock)]
async fn value_and_finish_are_typed(task: TaskCtx) {
    let sum = Task::new(add(2, 3));
    assert_eq!(sum.finish().await.unwrap(), 5);
    // finish can be awaited again after the end, as in pycos.
    assert_eq!(sum.finish().await.unwrap(), 5);
    let hello = Task::new(greet("you".into()));
    assert_eq!(hello.finish().await.unwrap(), "greet: hello you");
    assert_ne!(task.id(), hello.id());
}

#[task]
fn failing(fail: bool) -> Result<u32, String> {
    if fail {
        Err("no luck".to_owned())
    } else {
        Ok(7)
    }
}

#[pycos::test]
async fn fallible_task_error_becomes_task_error() {
    assert_eq!(Task::new(failing(false)).finish().await.unwrap(), 7);
    let err = Task::new(failing(true)).finish().await.unwrap_err();
    assert!(
        matches!(&err, TaskError::Error(text) if text == "no luck"),
        "{err:?}"
    );
}

#[pycos::test]
async fn identity_display_and_hash() {
    use std::collections::HashSet;
    let a = Task::new(add(1, 1));
    let b = Task::new(add(1, 1));
    assert_ne!(a, b);
    assert_eq!(a, a.untyped());
    assert_eq!(a.to_string(), format!("add/{}", a.id()));
    let set: HashSet<Task> = [a.untyped(), a.untyped(), b.untyped()]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 2);
}

#[pycos::test]
async fn is_alive_until_the_end(task: TaskCtx) {
    let child = Task::new(add(1, 2));
    assert!(child.is_alive(), "a new task is alive before it runs");
    child.finish().await.unwrap();
    assert!(!child.is_alive());
    assert!(task.is_alive());
}

#[pycos::test]
async fn cur_task_is_the_running_task(task: TaskCtx) {
    assert_eq!(Pycos::cur_task(), Some(task.handle()));
    assert!(Pycos::scheduler().is_some());
}

#[test]
fn cur_task_is_none_outside_schedulers() {
    assert!(Pycos::cur_task().is_none());
    assert!(Pycos::scheduler().is_none());
}

#[test]
fn spec_carries_name_and_arguments() {
    let spec = add(4, 5);
    assert_eq!(spec.name(), "add");
    assert_eq!(spec.args().downcast_ref::<(u32, u32)>(), Some(&(4, 5)));
}
