use pycos::prelude::*;

#[task]
fn napper(task: TaskCtx) {
    task.sleep(1.0).catch();
}

fn main() {}
