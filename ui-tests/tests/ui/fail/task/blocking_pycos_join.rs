use pycos::prelude::*;

#[task]
fn joiner() {
    Pycos::instance().join().unwrap();
}

fn main() {}
