//! Port of pycos' `chat_server.py`: each connected client's messages
//! (`send_msg`/`recv_msg` frames) go to every other client, prefixed with
//! the sender's id. Runs until `quit`/`exit` or end of input. Pair it with
//! `chat_client`.
//!
//! ```text
//! cargo run -p pycos-examples --bin chat_server [host] [port]   # 127.0.0.1 3456
//! ```

use std::collections::HashMap;
use std::io;
use std::net::Shutdown;
use std::os::fd::RawFd;
use std::sync::{Arc, Mutex};

use pycos::prelude::*;
use pycos_examples::console;

/// The connected clients by id (pycos' global `clients` set).
type Clients = Arc<Mutex<HashMap<RawFd, Arc<AsyncSocket>>>>;

fn others(clients: &Clients, me: RawFd) -> Vec<Arc<AsyncSocket>> {
    let clients = clients
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    clients
        .iter()
        .filter(|(id, _)| **id != me)
        .map(|(_, c)| c.clone())
        .collect()
}

#[task]
fn client_conn_proc(conn: Arc<AsyncSocket>, clients: Clients, task: TaskCtx) {
    task.set_daemon(true);
    let me = conn.fileno();
    clients
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(me, conn.clone());
    // Ends when the client leaves, sends an empty message, or fails.
    while let Ok(Some(line)) = conn.recv_msg().await {
        if line.is_empty() {
            break;
        }
        let msg = format!("{me} says: {}", String::from_utf8_lossy(&line));
        for client in others(&clients, me) {
            // A client that has gone away is dropped by its own task.
            let _ = client.send_msg(msg.as_bytes()).await;
        }
    }
    clients
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&me);
}

#[task]
fn server_proc(sock: AsyncSocket, clients: Clients, task: TaskCtx) -> io::Result<()> {
    task.set_daemon(true);
    loop {
        let (conn, _addr) = sock.accept().await?;
        Task::new(client_conn_proc(Arc::new(conn), clients.clone()));
    }
}

#[pycos::main]
fn main() -> io::Result<()> {
    let sock = AsyncSocket::tcp_listener(console::host_port_args("3456"))?;
    println!("server at {}", sock.local_addr()?);
    let clients = Clients::default();
    Task::new(server_proc(sock, clients.clone()));
    console::until_quit("Enter \"quit\" or \"exit\" to terminate: ");
    for client in clients.lock().unwrap_or_else(|p| p.into_inner()).values() {
        let _ = client.shutdown(Shutdown::Both);
    }
    Ok(())
}
