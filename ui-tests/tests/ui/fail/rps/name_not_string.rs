use pycos::prelude::*;

#[task(remote, name = compute)]
fn compute(n: u32) -> u32 {
    n
}

fn main() {}
