use pycos::prelude::*;

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Report {
    lines: u32,
}

#[task(remote)]
fn compute(n: u32) -> Report {
    Report { lines: n }
}

fn main() {}
