use std::rc::Rc;

use pycos::prelude::*;

#[task(local)]
fn reader(shared: Rc<String>) -> usize {
    shared.len()
}

fn main() {
    Task::new(reader(Rc::new("text".to_owned())));
}
