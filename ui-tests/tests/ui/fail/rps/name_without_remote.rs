use pycos::prelude::*;

#[task(name = "svc::compute")]
fn compute(n: u32) -> u32 {
    n
}

fn main() {}
