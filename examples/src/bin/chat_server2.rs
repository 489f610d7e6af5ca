//! Port of pycos' `chat_server2.py`: the chat of `chat_server`, for the
//! same `chat_client`, but the set of connected clients lives in one task.
//! Each connection's task only reads frames (`recv_msg`) and passes them,
//! as messages, to the broadcasting task, which alone owns the client set
//! and writes `ID says: TEXT` to every other client — no shared, locked
//! set copied for every line, as in `chat_server`. (`chat_sock_server`
//! broadcasts through one task too, but accepts with blocking calls on
//! the main thread and announces joins and leaves to the clients;
//! this one accepts with an [`AsyncSocket`] in a task, as the original.)
//!
//! Added to the original, for scripts and tests: the server prints
//! `server at IP:PORT`, then `ID joined` and `ID left` for each client.
//! `quit`, `exit` or the end of input stops it, closing every client's
//! connection.
//!
//! ```text
//! cargo run -p pycos-examples --bin chat_server2 [host] [port]   # 127.0.0.1 3456
//! cargo run -p pycos-examples --bin chat_client [host] [port]    # two or more
//! ```
//!
//! To reach it from other computers, give the server a network address
//! of this machine (or `0.0.0.0`) and the clients that address.

use std::io;
use std::net::Shutdown;
use std::os::fd::RawFd;
use std::sync::Arc;

use pycos::prelude::*;
use pycos_examples::console;

/// What the connection tasks tell the broadcasting task (pycos sends
/// `(conn, None)`, `(conn, line)` and `(conn, 0)`).
enum Event {
    Joined(Arc<AsyncSocket>),
    Line(RawFd, Vec<u8>),
    Left(RawFd),
    Terminate,
}

#[task]
fn client_conn_proc(conn: Arc<AsyncSocket>, bcast: Task, task: TaskCtx) {
    task.set_daemon(true);
    let id = conn.fileno();
    let _ = bcast.send(Event::Joined(conn.clone()));
    // Ends when the client leaves, sends an empty message, or fails.
    while let Ok(Some(line)) = conn.recv_msg().await {
        if line.is_empty() {
            break;
        }
        let _ = bcast.send(Event::Line(id, line));
    }
    let _ = bcast.send(Event::Left(id));
}

#[task]
fn msg_bcast_proc(task: TaskCtx) {
    let mut clients: Vec<Arc<AsyncSocket>> = Vec::new();
    loop {
        let msg = task.receive().await;
        let Some(event) = msg.downcast_ref::<Event>() else {
            continue;
        };
        match event {
            Event::Line(from, line) => {
                let text = format!("{from} says: {}", String::from_utf8_lossy(line));
                for client in clients.iter().filter(|c| c.fileno() != *from) {
                    // A client that has gone away is removed by its task.
                    let _ = client.send_msg(text.as_bytes()).await;
                }
            }
            Event::Joined(conn) => {
                println!("{} joined", conn.fileno());
                clients.push(conn.clone());
            }
            Event::Left(id) => {
                println!("{id} left");
                clients.retain(|c| c.fileno() != *id);
            }
            Event::Terminate => break,
        }
    }
    for client in clients {
        let _ = client.shutdown(Shutdown::Both);
    }
}

#[task]
fn server_proc(sock: AsyncSocket, bcast: Task, task: TaskCtx) -> io::Result<()> {
    task.set_daemon(true);
    loop {
        let (conn, _addr) = sock.accept().await?;
        Task::new(client_conn_proc(Arc::new(conn), bcast.clone()));
    }
}

#[pycos::main]
fn main() -> io::Result<()> {
    let sock = AsyncSocket::tcp_listener(console::host_port_args("3456"))?;
    println!("server at {}", sock.local_addr()?);
    let bcast = Task::new(msg_bcast_proc());
    Task::new(server_proc(sock, bcast.untyped()));
    console::until_quit("");
    let _ = bcast.send(Event::Terminate);
    Ok(())
}
