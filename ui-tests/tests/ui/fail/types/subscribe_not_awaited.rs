#![deny(unused_must_use)]

use pycos::{Channel, Task};

// Outside `#[task]` only rustc's lint sees it: a plain `async fn`.
async fn join(news: Channel, member: Task) {
    news.subscribe(&member);
}

fn main() {
    let _ = join;
}
