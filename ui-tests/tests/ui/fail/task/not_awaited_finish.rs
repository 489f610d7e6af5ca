use pycos::prelude::*;

#[task]
fn waiter(other: Task) {
    other.finish();
}

fn main() {}
