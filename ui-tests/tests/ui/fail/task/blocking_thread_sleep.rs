use std::time::Duration;

use pycos::prelude::*;

#[task]
fn napper(task: TaskCtx) {
    std::thread::sleep(Duration::from_secs(1));
    task.sleep(1.0).await;
}

fn main() {}
