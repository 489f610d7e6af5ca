use std::fmt::Debug;

use pycos::prelude::*;

#[task]
fn echo<T>(value: T, task: TaskCtx) -> T
where
    T: Clone + Debug + Send + Sync + 'static,
{
    task.sleep(0).await;
    println!("{value:?}");
    value
}

#[task]
fn sum<T: Copy + std::iter::Sum<T> + Send + Sync + 'static>(values: Vec<T>) -> T {
    values.iter().copied().sum()
}

fn main() {
    assert_eq!(Task::new(echo(7_u8)).value().unwrap(), 7);
    assert_eq!(Task::new(echo("text".to_owned())).value().unwrap(), "text");
    assert_eq!(Task::new(sum(vec![1_i64, 2, 3])).value().unwrap(), 6);
    Pycos::instance().finish().unwrap();
}
