use pycos::prelude::*;

#[task]
fn hello() {
    println!("hello");
}

#[pycos::main(virtual_clock)]
fn main() {
    Task::new(hello());
}
