#![deny(unused_must_use)]

use pycos::Task;

// Outside `#[task]` only rustc's lint sees it: a plain `async fn`.
async fn wait_for(child: Task<u32>) {
    child.finish();
}

fn main() {
    let _ = wait_for;
}
