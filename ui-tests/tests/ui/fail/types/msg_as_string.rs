use pycos::prelude::*;

#[task]
fn listener(task: TaskCtx) {
    let msg = task.receive().await;
    let text: String = msg;
    println!("{text}");
}

fn main() {}
