use pycos::prelude::*;

#[task]
fn polite(task: TaskCtx) {
    task.yield_now();
}

fn main() {}
