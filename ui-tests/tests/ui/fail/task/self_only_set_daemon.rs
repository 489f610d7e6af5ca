use pycos::prelude::*;

#[task]
fn meddler(other: Task) {
    other.set_daemon(true);
}

fn main() {}
