//! Port of pycos' `chat_sock_server.py`: the main thread accepts with plain
//! blocking calls and hands each connection to a task, which turns it into
//! an [`AsyncSocket`]; all broadcasting goes through one server task by
//! message passing. Runs until killed (Ctrl-C), as the original.
//!
//! ```text
//! cargo run -p pycos-examples --bin chat_sock_server [host] [port]   # 127.0.0.1 3456
//! ```

use std::io;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;

use pycos::prelude::*;
use pycos_examples::console;

/// What client tasks tell the server task.
enum Event {
    Joined(Arc<AsyncSocket>),
    Broadcast(Arc<AsyncSocket>, Vec<u8>),
    Left(Arc<AsyncSocket>),
    Terminate,
}

#[task]
fn client_proc(conn: TcpStream, server: Task) -> io::Result<()> {
    let conn = Arc::new(AsyncSocket::try_from(conn)?);
    let _ = server.send(Event::Joined(conn.clone()));
    loop {
        match conn.recv_msg().await {
            Ok(Some(line)) if !line.is_empty() => {
                let _ = server.send(Event::Broadcast(conn.clone(), line));
            }
            _ => {
                let _ = server.send(Event::Left(conn));
                return Ok(());
            }
        }
    }
}

async fn tell(clients: &[Arc<AsyncSocket>], except: &Arc<AsyncSocket>, msg: &str) {
    for client in clients.iter().filter(|c| !Arc::ptr_eq(c, except)) {
        let _ = client.send_msg(msg.as_bytes()).await;
    }
}

#[task]
fn server_proc(task: TaskCtx) {
    let mut clients: Vec<Arc<AsyncSocket>> = Vec::new();
    loop {
        let msg = task.receive().await;
        let Some(event) = msg.downcast_ref::<Event>() else {
            continue;
        };
        match event {
            Event::Broadcast(conn, line) => {
                let text = format!("{} says: {}", conn.fileno(), String::from_utf8_lossy(line));
                tell(&clients, conn, &text).await;
            }
            Event::Joined(conn) => {
                let _ = conn
                    .send_msg(format!("id: {}", conn.fileno()).as_bytes())
                    .await;
                tell(&clients, conn, &format!("{} joined", conn.fileno())).await;
                clients.push(conn.clone());
            }
            Event::Left(conn) => {
                clients.retain(|c| !Arc::ptr_eq(c, conn));
                let _ = conn.shutdown(Shutdown::Both);
                tell(&clients, conn, &format!("{} left", conn.fileno())).await;
            }
            Event::Terminate => break,
        }
    }
}

#[pycos::main]
fn main() -> io::Result<()> {
    let addr = console::host_port_args("3456");
    let server = Task::new(server_proc());
    let listener = TcpListener::bind(addr)?;
    println!("server at {}", listener.local_addr()?);
    println!("Ctrl-C to terminate server");
    while let Ok((conn, _addr)) = listener.accept() {
        Task::new(client_proc(conn, server.untyped()));
    }
    let _ = server.send(Event::Terminate);
    Ok(())
}
