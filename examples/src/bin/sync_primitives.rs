//! A kitchen run with pycos' locking primitives, used the way a pycos
//! program uses them:
//!
//! - an [`Event`] starts every cook at once;
//! - a [`Semaphore`] lets at most two dishes into the two ovens;
//! - a [`Condition`] guards the pass where cooks put dishes and servers
//!   wait for them (`wait` while it is empty, `notify` on each dish);
//! - a [`Lock`] keeps each server's two-line report together, though the
//!   server pauses between the lines.
//!
//! ```text
//! cargo run -p pycos-examples --bin sync_primitives
//! PYCOS_CLOCK=virtual cargo run -p pycos-examples --bin sync_primitives   # no real waiting
//! ```

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use pycos::NotOwner;
use pycos::prelude::*;

const COOKS: usize = 3;
const DISHES_PER_COOK: usize = 3;
const SERVERS: usize = 2;

/// Where cooks leave dishes for the servers. The condition's lock is what
/// makes a look at `dishes` and the `wait` that follows one step.
#[derive(Clone, Default)]
struct Pass {
    ready: Condition,
    dishes: Arc<Mutex<VecDeque<String>>>,
    /// Dishes still to come; servers stop at zero.
    to_come: Arc<Mutex<usize>>,
}

#[task]
fn cook(id: usize, start: Event, ovens: Semaphore, pass: Pass, task: TaskCtx) {
    start.wait().await;
    for n in 0..DISHES_PER_COOK {
        let dish = format!("dish {id}.{n}");
        {
            let _oven = ovens.acquire().await;
            println!("cook {id}: {dish} into an oven");
            task.sleep(0.5 + 0.25 * id as f64).await;
            println!("cook {id}: {dish} out of the oven");
        }
        let _pass = pass.ready.acquire().await;
        pass.dishes.lock().unwrap().push_back(dish);
        pass.ready.notify(1);
    }
}

/// The next dish, or `None` when every dish has been served.
async fn next_dish(pass: &Pass) -> Result<Option<String>, NotOwner> {
    let _held = pass.ready.acquire().await;
    loop {
        if let Some(dish) = pass.dishes.lock().unwrap().pop_front() {
            *pass.to_come.lock().unwrap() -= 1;
            return Ok(Some(dish));
        }
        if *pass.to_come.lock().unwrap() == 0 {
            return Ok(None);
        }
        pass.ready.wait().await?;
    }
}

#[task]
fn server(id: usize, pass: Pass, report: Lock, task: TaskCtx) -> Result<usize, NotOwner> {
    let mut served = 0;
    while let Some(dish) = next_dish(&pass).await? {
        let _report = report.acquire().await;
        println!("server {id}: plating {dish}");
        task.sleep(0.1).await;
        println!("server {id}: served {dish}");
        served += 1;
    }
    // Wake the other servers so that they see nothing is left.
    pass.ready.notify_all();
    Ok(served)
}

#[task]
fn kitchen(task: TaskCtx) -> Result<(), Box<dyn std::error::Error>> {
    let start = Event::new();
    let ovens = Semaphore::new(2);
    let pass = Pass::default();
    *pass.to_come.lock().unwrap() = COOKS * DISHES_PER_COOK;
    let report = Lock::new();
    for id in 0..COOKS {
        Task::new(cook(id, start.clone(), ovens.clone(), pass.clone()));
    }
    let servers: Vec<_> = (0..SERVERS)
        .map(|id| Task::new(server(id, pass.clone(), report.clone())))
        .collect();
    task.sleep(0.1).await;
    println!("kitchen open");
    start.set();
    let mut total = 0;
    for server in servers {
        total += server.finish().await?;
    }
    println!("{total} dishes served");
    Ok(())
}

#[pycos::main]
fn main() {
    Task::new(kitchen());
}
