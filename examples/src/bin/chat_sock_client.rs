//! Port of pycos' `chat_sock_client.py`: the main thread reads lines from
//! standard input and passes them to a sender task as messages; a receiver
//! task prints what `chat_sock_server` sends. Ends with `quit`/`exit` or at
//! the end of input.
//!
//! ```text
//! cargo run -p pycos-examples --bin chat_sock_client [host] [port]   # 127.0.0.1 3456
//! ```

use std::io::{self, BufRead};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;

use pycos::prelude::*;
use pycos_examples::console;

#[task]
fn client_recv(conn: Arc<AsyncSocket>, task: TaskCtx) {
    task.set_daemon(true);
    while let Ok(Some(line)) = conn.recv_msg().await {
        if line.is_empty() {
            break;
        }
        println!("{}", String::from_utf8_lossy(&line));
    }
}

#[task]
fn client_send(conn: Arc<AsyncSocket>, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(line) = msg.downcast_ref::<String>()
            && conn.send_msg(line.as_bytes()).await.is_err()
        {
            break;
        }
    }
}

#[pycos::main]
fn main() -> io::Result<()> {
    let addr = console::host_port_args("3456");
    let sock = TcpStream::connect(addr)?;
    let sock = Arc::new(AsyncSocket::try_from(sock)?);
    Task::new(client_recv(sock.clone()));
    let sender = Task::new(client_send(sock.clone()));
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        if line.eq_ignore_ascii_case("quit") || line.eq_ignore_ascii_case("exit") {
            break;
        }
        if !line.is_empty() {
            let _ = sender.send(line.to_owned());
        }
    }
    let _ = sock.shutdown(Shutdown::Both);
    Ok(())
}
