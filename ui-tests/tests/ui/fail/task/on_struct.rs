use pycos::prelude::*;

#[task]
struct Server {
    port: u16,
}

fn main() {}
