use pycos::prelude::*;

#[task]
fn listener(task: TaskCtx) {
    let msg: Msg = task.receive().timeout(1.0).await;
    println!("{msg:?}");
}

fn main() {}
