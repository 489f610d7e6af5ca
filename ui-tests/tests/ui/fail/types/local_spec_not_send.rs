use std::rc::Rc;

use pycos::prelude::*;

#[task(local)]
fn reader(shared: Rc<String>) -> usize {
    shared.len()
}

fn main() {
    let spec = reader(Rc::new("text".to_owned()));
    std::thread::spawn(move || drop(spec));
}
