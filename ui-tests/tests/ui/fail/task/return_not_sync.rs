use std::cell::Cell;

use pycos::prelude::*;

#[task]
fn counter(task: TaskCtx) -> Cell<u32> {
    task.sleep(1.0).await;
    Cell::new(5)
}

fn main() {}
