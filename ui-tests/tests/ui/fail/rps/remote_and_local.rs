use pycos::prelude::*;

#[task(remote, local)]
fn compute(n: u32) -> u32 {
    n
}

fn main() {}
