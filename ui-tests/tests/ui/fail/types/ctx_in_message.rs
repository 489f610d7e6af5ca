use pycos::prelude::*;

#[task]
fn introduce(other: Task, task: TaskCtx) {
    other.send(task.clone()).unwrap();
}

fn main() {}
