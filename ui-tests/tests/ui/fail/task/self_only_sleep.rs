use pycos::prelude::*;

#[task]
fn meddler(other: Task) {
    let _ = other.sleep(1.0).await;
}

fn main() {}
