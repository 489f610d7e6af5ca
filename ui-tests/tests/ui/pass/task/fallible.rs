use std::num::ParseIntError;

use pycos::ValueError;
use pycos::prelude::*;

#[task]
fn parse(text: String, task: TaskCtx) -> Result<u32, ParseIntError> {
    task.sleep(0).await;
    let n: u32 = text.trim().parse()?;
    Ok(n * 2)
}

#[task]
fn read_config(path: std::path::PathBuf) -> std::io::Result<usize> {
    Ok(path.as_os_str().len())
}

fn main() {
    let good: Task<u32> = Task::new(parse(" 21 ".to_owned()));
    assert_eq!(good.value().unwrap(), 42);
    let bad = Task::new(parse("x".to_owned()));
    assert!(matches!(
        bad.value(),
        Err(ValueError::Task(TaskError::Error(_)))
    ));
    assert_eq!(Task::new(read_config("abc".into())).value().unwrap(), 3);
    Pycos::instance().finish().unwrap();
}
