use pycos::prelude::*;

#[task]
fn courier(other: Task) {
    other.deliver("parcel");
}

fn main() {}
