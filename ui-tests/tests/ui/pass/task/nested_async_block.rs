use pycos::prelude::*;

#[task]
fn nested(task: TaskCtx) -> u32 {
    let inner = async {
        task.sleep(0.001).await;
        20
    };
    let first = inner.await;
    let add = |n: u32| async move { n + 1 };
    let second = add(first).await;
    second + async { 21 }.await
}

fn main() {
    assert_eq!(Task::new(nested()).value().unwrap(), 42);
    Pycos::instance().finish().unwrap();
}
