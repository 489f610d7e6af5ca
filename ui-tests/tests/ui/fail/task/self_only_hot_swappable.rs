use pycos::prelude::*;

#[task]
fn meddler(other: Task) {
    other.hot_swappable(true);
}

fn main() {}
