// trybuild builds this as a binary, without `--test`: the `#[test]` functions
// the macro generates are left out, so only the macro's own checks run here
// (tests/lints.rs compiles and runs such tests for real).
#![cfg_attr(not(test), allow(unused_imports))]

use pycos::prelude::*;

#[pycos::test]
async fn echo(task: TaskCtx) {
    task.send("hi").unwrap();
    let msg = task.receive().await;
    assert_eq!(msg.downcast_ref::<&str>(), Some(&"hi"));
}

#[pycos::test]
fn fallible(task: TaskCtx) -> Result<(), std::num::ParseIntError> {
    task.sleep(0).await;
    let n: u32 = "5".parse()?;
    assert_eq!(n, 5);
    Ok(())
}

#[pycos::test]
#[should_panic = "boom"]
fn panics() {
    panic!("boom");
}

fn main() {}
