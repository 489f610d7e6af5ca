use pycos::prelude::*;

#[task]
fn worker(n: u32, task: u32) -> u32 {
    n + task
}

fn main() {}
