use pycos::prelude::*;

#[task(remote)]
fn compute<T: Send + Sync + 'static>(value: T) -> T {
    value
}

fn main() {}
