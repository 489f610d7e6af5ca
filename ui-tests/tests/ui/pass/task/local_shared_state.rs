use std::cell::RefCell;
use std::rc::Rc;

use pycos::prelude::*;

#[task(local)]
fn append(log: Rc<RefCell<Vec<u32>>>, base: u32, task: TaskCtx) {
    for i in 0..3 {
        log.borrow_mut().push(base + i);
        task.sleep(0.0).await;
    }
}

#[task]
fn owner(task: TaskCtx) -> Vec<u32> {
    let log = Rc::new(RefCell::new(Vec::new()));
    let a = task.spawn_local(append(log.clone(), 0));
    let b = task.spawn_local(append(log.clone(), 10));
    a.finish().await.unwrap();
    b.finish().await.unwrap();
    log.take()
}

fn main() {
    let sched = Pycos::new();
    let mut log = sched.spawn(owner()).value().unwrap();
    log.sort_unstable();
    assert_eq!(log, [0, 1, 2, 10, 11, 12]);
    sched.finish().unwrap();
}
