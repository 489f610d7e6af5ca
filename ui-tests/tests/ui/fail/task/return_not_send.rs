use std::rc::Rc;

use pycos::prelude::*;

#[task]
fn shared(task: TaskCtx) -> Rc<u32> {
    task.sleep(1.0).await;
    Rc::new(5)
}

fn main() {}
