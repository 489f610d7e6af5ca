#![deny(unused_must_use)]

use pycos::Task;

// Outside `#[task]` only rustc's lint sees it: a plain `async fn`.
async fn post(other: Task) {
    other.deliver("parcel");
}

fn main() {
    let _ = post;
}
