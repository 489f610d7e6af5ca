use pycos::prelude::*;

#[task]
fn forgetful(task: TaskCtx) {
    let _ = task.sleep(1.0);
}

fn main() {}
