use pycos::prelude::*;

#[task]
const LIMIT: u32 = 10;

fn main() {}
