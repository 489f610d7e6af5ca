use pycos::prelude::*;

#[task]
fn waiter(other: Task) {
    let value = Task::value(&other);
    println!("{value:?}");
}

fn main() {}
