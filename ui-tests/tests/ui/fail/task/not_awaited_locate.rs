use pycos::prelude::*;

#[task]
fn finder() {
    Task::locate("server");
}

fn main() {}
