use pycos::prelude::*;

struct Opaque;

#[task(remote)]
fn compute(input: Opaque) -> u32 {
    let _ = input;
    1
}

fn main() {}
