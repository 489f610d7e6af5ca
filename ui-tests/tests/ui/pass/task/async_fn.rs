use pycos::prelude::*;

#[task]
async fn double(n: u32, task: TaskCtx) -> u32 {
    task.sleep(0.001).await;
    n * 2
}

#[task]
pub async fn without_ctx() -> &'static str {
    "done"
}

fn main() {
    assert_eq!(Task::new(double(21)).value().unwrap(), 42);
    assert_eq!(Task::new(without_ctx()).value().unwrap(), "done");
    Pycos::instance().finish().unwrap();
}
