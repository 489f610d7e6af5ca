// trybuild builds this as a binary, without `--test`: the `#[test]` functions
// the macro generates are left out, so only the macro's own checks run here
// (tests/lints.rs compiles and runs such tests for real).
#![cfg_attr(not(test), allow(unused_imports))]

use pycos::prelude::*;

#[pycos::test(virtual_clock)]
async fn sleeps_in_virtual_time(task: TaskCtx) {
    assert!(task.sleep(3600.0).await.is_none());
}

#[pycos::test(virtual_clock = false)]
async fn real_clock(task: TaskCtx) {
    assert!(task.receive().timeout(0).await.is_none());
}

fn main() {}
