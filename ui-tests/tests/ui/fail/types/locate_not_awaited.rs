#![deny(unused_must_use)]

use pycos::Task;

// Outside `#[task]` only rustc's lint sees it: a plain `async fn`.
async fn find() {
    Task::locate("server");
}

fn main() {
    let _ = find;
}
