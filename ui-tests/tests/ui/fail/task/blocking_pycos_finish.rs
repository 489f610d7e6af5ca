use pycos::prelude::*;

#[task]
fn finisher() {
    let sched = Pycos::instance();
    sched.finish().unwrap();
}

fn main() {}
