use pycos::prelude::*;

#[task]
fn terminator() {
    Pycos::scheduler().unwrap().terminate().unwrap();
}

fn main() {}
