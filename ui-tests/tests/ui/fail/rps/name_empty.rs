use pycos::prelude::*;

#[task(remote, name = " ")]
fn compute(n: u32) -> u32 {
    n
}

fn main() {}
