use pycos::prelude::*;

struct Point {
    x: i32,
    y: i32,
}

#[task]
fn add((a, b): (u32, u32), Point { x, y }: Point, mut total: u64, task: TaskCtx) -> u64 {
    task.sleep(0).await;
    total += u64::from(a + b);
    total + u64::try_from(x + y).unwrap_or_default()
}

fn main() {
    let sum = Task::new(add((1, 2), Point { x: 3, y: 4 }, 10));
    assert_eq!(sum.value().unwrap(), 20);
    Pycos::instance().finish().unwrap();
}
