//! The client half of pycos' tutorial §7.3 (`remote_task_client`): ten
//! tasks locate the remote `server_task` by name and send it three
//! messages each, pausing a random time before each.
//!
//! ```text
//! cargo run -p pycos-examples --bin remote_task_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! Without `--peer`, discovery finds the server on the local network. An
//! optional last argument sets the longest pause before a message, in
//! seconds (default 3, as in pycos; the shortest is a sixth of it).

use std::sync::atomic::{AtomicU32, Ordering};

use pycos::prelude::*;
use pycos_examples::net;

static MSG_ID: AtomicU32 = AtomicU32::new(0);

#[task]
fn client_proc(n: u32, longest: f64, task: TaskCtx) -> Result<(), String> {
    let server = Task::locate("server_task")
        .await
        .ok_or("no server_task found")?;
    for x in 0..3 {
        task.sleep(longest / 6.0 + fastrand::f64() * longest * 5.0 / 6.0)
            .await;
        let msg_id = MSG_ID.fetch_add(1, Ordering::Relaxed) + 1;
        server
            .send(format!("{msg_id}: {n} / {x}"))
            .map_err(|err| err.to_string())?;
    }
    Ok(())
}

#[task]
fn start(peers: Vec<pycos_net::Location>, longest: f64) -> Result<(), String> {
    net::linked(&peers).await?;
    let clients: Vec<_> = (0..10)
        .map(|i| Task::new(client_proc(i, longest)))
        .collect();
    for client in clients {
        client.finish().await.map_err(|err| err.to_string())?;
    }
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), String> {
    let args = net::parse()?;
    let longest = args.seconds(0, "the longest pause", 3.0)?;
    args.builder.start().map_err(|err| err.to_string())?;
    Task::new(start(args.peers, longest));
    Ok(())
}
