use pycos::prelude::*;

fn listen(other: &Task) {
    let _msg = other.receive();
}

fn main() {}
