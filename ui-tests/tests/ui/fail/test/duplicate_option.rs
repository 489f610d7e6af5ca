use pycos::prelude::*;

#[pycos::test(virtual_clock, virtual_clock)]
async fn sleeps(task: TaskCtx) {
    assert!(task.sleep(3600.0).await.is_none());
}

fn main() {}
