use pycos::prelude::*;

#[task]
fn meddler(other: Task) {
    let _ = other.receive().await;
}

fn main() {}
