//! Ignoring the `Result` of `send` is allowed (rustc warns, as for any
//! `Result`); pycos code routinely fires and forgets.
use pycos::prelude::*;

#[task]
fn client(server: Task, task: TaskCtx) {
    task.sleep(1.0).await;
    server.send("hello");
}

fn main() {}
