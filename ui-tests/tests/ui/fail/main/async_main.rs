use pycos::prelude::*;

#[task]
fn hello() {
    println!("hello");
}

#[pycos::main]
async fn main() {
    Task::new(hello());
}
