use pycos::prelude::*;

#[task]
fn waiter(other: Task) {
    let value = other.value();
    println!("{value:?}");
}

fn main() {}
