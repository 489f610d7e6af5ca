use pycos::prelude::*;

#[task]
fn listener(task: TaskCtx) {
    task.receive().timeout(1.0);
}

fn main() {}
