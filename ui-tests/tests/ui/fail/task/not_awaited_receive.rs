use pycos::prelude::*;

#[task]
fn listener(task: TaskCtx) {
    task.receive();
}

fn main() {}
