use pycos::prelude::*;

#[task]
fn finder() {
    Channel::locate("news");
}

fn main() {}
