//! The typed proxy's argument tuple is the function's own: a client
//! cannot pass something else.
use pycos::prelude::*;
use pycos::rps::RemoteFn;

#[task(remote)]
fn compute(n: u64, label: String) -> u64 {
    let _ = label;
    n
}

fn call<F: RemoteFn>(args: F::Args) -> F::Args {
    args
}

fn main() {
    let _ = call::<compute>((1_u64, 2_u32));
}
