use pycos::prelude::*;

#[task]
fn holder<T>(value: T, task: TaskCtx) -> usize {
    task.sleep(1.0).await;
    std::mem::size_of_val(&value)
}

fn main() {}
