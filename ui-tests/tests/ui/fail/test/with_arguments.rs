use pycos::prelude::*;

#[pycos::test]
async fn echo(n: u32, task: TaskCtx) {
    task.send(n).unwrap();
    let msg = task.receive().await;
    assert_eq!(msg.downcast_ref::<u32>(), Some(&n));
}

fn main() {}
