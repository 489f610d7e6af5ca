//! The server half of pycos' tutorial §7.3 (`remote_task_server`): a task
//! registered as `server_task` prints what remote clients send it, until
//! `quit` (or the end of input) on the console.
//!
//! ```text
//! cargo run -p pycos-examples --bin remote_task_server -- --no-discover --host 127.0.0.1
//! ```
//!
//! Start `remote_task_client` beside it (on this or another machine).

use pycos::prelude::*;
use pycos_examples::net;

#[task]
fn server_proc(task: TaskCtx) {
    task.set_daemon(true);
    task.register("server_task").expect("the name is free");
    loop {
        let msg = task.receive().await;
        match msg.downcast_ref::<String>() {
            Some(text) => println!("received {text}"),
            None => println!("received {msg:?}"),
        }
    }
}

#[pycos::main]
fn main() -> Result<(), String> {
    let args = net::parse()?;
    let node = args.builder.start().map_err(|err| err.to_string())?;
    println!("server at {}", node.location());
    let _server = Task::new(server_proc());
    for line in std::io::stdin().lines() {
        let cmd = line.map_err(|err| err.to_string())?.trim().to_lowercase();
        if cmd == "quit" || cmd == "exit" {
            break;
        }
    }
    Ok(())
}
