use pycos::prelude::*;

#[task(bogus)]
fn worker(task: TaskCtx) {
    task.sleep(1.0).await;
}

fn main() {}
