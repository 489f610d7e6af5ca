//! Tasks of one scheduler sharing state through `Rc<RefCell<_>>`, as pycos
//! tasks share Python objects: only one task runs at a time, and it is
//! never interrupted between two awaits, so no lock is needed.
//!
//! Task arguments are normally `Send` (a `Task::new` spec may be started
//! from any thread); a `#[task(local)]` function takes non-`Send` arguments
//! instead, and its spec can only be started with `task.spawn_local(..)`, on
//! the calling task's own scheduler — which the compiler checks.
//!
//! ```text
//! cargo run -p pycos-examples --bin shared_state
//! PYCOS_CLOCK=virtual cargo run -p pycos-examples --bin shared_state   # no real waiting
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use pycos::prelude::*;

/// The log both writers append to.
type Log = Rc<RefCell<Vec<String>>>;

#[task(local)]
fn writer(log: Log, name: &'static str, period: f64, task: TaskCtx) {
    for i in 0..3 {
        task.sleep(period).await;
        log.borrow_mut().push(format!("{name} wrote entry {i}"));
    }
}

#[task]
fn owner(task: TaskCtx) {
    let log = Log::default();
    let writers = [
        task.spawn_local(writer(log.clone(), "a", 1.0)),
        task.spawn_local(writer(log.clone(), "b", 1.25)),
    ];
    for writer in writers {
        if let Err(err) = writer.finish().await {
            eprintln!("{writer}: {err}");
        }
    }
    for line in log.borrow().iter() {
        println!("{line}");
    }
    // The writers' copies of the `Rc` were dropped when they ended.
    println!(
        "{} entries, {} handle left",
        log.borrow().len(),
        Rc::strong_count(&log)
    );
}

#[pycos::main]
fn main() {
    Task::new(owner());
}
