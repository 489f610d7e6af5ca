//! Port of pycos' `tasks.py`: ten tasks each sleep a random time and report.
//!
//! Like the original, `main` only creates the tasks; the program then waits
//! for them at exit (`#[pycos::main]` does what pycos' `atexit` does).
//!
//! ```text
//! cargo run -p pycos-examples --bin tasks
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use pycos::prelude::*;

fn wall_clock() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[task]
fn pycos_proc(n: u32, task: TaskCtx) {
    let secs = 0.5 + fastrand::f64() * 2.5;
    println!(
        "{:.6}: process {n} sleeping for {secs:.6} seconds",
        wall_clock()
    );
    task.sleep(secs).await;
    println!("{:.6}: process {n} terminating", wall_clock());
}

#[pycos::main]
fn main() {
    for i in 0..10 {
        Task::new(pycos_proc(i));
    }
}
