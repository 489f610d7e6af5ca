use pycos::prelude::*;

#[task(remote, remote)]
fn compute(n: u32) -> u32 {
    n
}

fn main() {}
