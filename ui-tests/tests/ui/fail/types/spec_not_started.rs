#![deny(unused_must_use)]

use pycos::prelude::*;

#[task]
fn compute(n: u32) -> u32 {
    n * 2
}

fn main() {
    compute(21);
}
