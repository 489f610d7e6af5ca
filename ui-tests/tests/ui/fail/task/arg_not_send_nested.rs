use std::cell::RefCell;
use std::sync::Arc;

use pycos::prelude::*;

#[task]
fn counter(count: Arc<RefCell<u32>>, task: TaskCtx) {
    task.sleep(1.0).await;
    *count.borrow_mut() += 1;
}

fn main() {}
