use pycos::prelude::*;

#[task]
fn meddler(other: Task) {
    other.register("x").unwrap();
}

fn main() {}
