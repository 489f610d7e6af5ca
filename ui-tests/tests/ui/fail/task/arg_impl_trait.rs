use pycos::prelude::*;

#[task]
fn printer(value: impl std::fmt::Display + Send + 'static, task: TaskCtx) {
    task.sleep(1.0).await;
    println!("{value}");
}

fn main() {}
