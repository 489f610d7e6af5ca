//! An unused injected context may be named `_task`, as rustc suggests.
use pycos::prelude::*;

#[task]
fn idle(_task: TaskCtx) {}

fn main() {}
