use pycos::prelude::*;

#[task]
fn greeter(name: &str, task: TaskCtx) {
    task.sleep(1.0).await;
    println!("hello {name}");
}

fn main() {}
