use pycos::prelude::*;

#[task(remote, signature = 5)]
fn compute(n: u32) -> u32 {
    n
}

fn main() {}
