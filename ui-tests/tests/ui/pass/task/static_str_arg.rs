use pycos::prelude::*;

#[task]
fn greeter(name: &'static str, names: Vec<&'static str>, task: TaskCtx) -> usize {
    task.sleep(0).await;
    println!("hello {name} and {names:?}");
    name.len() + names.len()
}

fn main() {
    assert_eq!(
        Task::new(greeter("world", vec!["a", "b"])).value().unwrap(),
        7
    );
    Pycos::instance().finish().unwrap();
}
