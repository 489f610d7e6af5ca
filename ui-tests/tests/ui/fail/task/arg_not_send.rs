use std::rc::Rc;

use pycos::prelude::*;

#[task]
fn counter(count: Rc<u32>, task: TaskCtx) {
    task.sleep(1.0).await;
    println!("{count}");
}

fn main() {}
