//! Port of pycos' `client_server.py`: ten clients send three messages each
//! to a daemon server, pausing a random time before each.
//!
//! ```text
//! cargo run -p pycos-examples --bin client_server
//! ```

use std::cell::Cell;
use std::rc::Rc;

use pycos::prelude::*;

#[task]
fn server_proc(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(text) = msg.downcast_ref::<String>() {
            println!("Received {text}");
        }
    }
}

thread_local! {
    /// The message counter all clients share, as the original's global:
    /// tasks of one scheduler run on one thread, one at a time.
    static MSG_ID: Rc<Cell<u32>> = Rc::new(Cell::new(0));
}

#[task]
fn client_proc(server: Task, n: u32, task: TaskCtx) {
    let msg_id = MSG_ID.with(Rc::clone);
    for i in 0..3 {
        task.sleep(0.5 + fastrand::f64() * 2.5).await;
        msg_id.set(msg_id.get() + 1);
        let text = format!("msg_id {}: client {n}, msg {i}", msg_id.get());
        if server.send(text).is_err() {
            eprintln!("server has ended");
        }
    }
}

#[pycos::main]
fn main() {
    let server = Task::new(server_proc());
    for i in 0..10 {
        Task::new(client_proc(server.clone(), i));
    }
}
