//! Port of pycos' `chat_client.py`: lines typed on standard input go to
//! `chat_server` as messages (read on an [`AsyncThreadPool`] thread, as in
//! pycos); messages from the other clients are printed. Ends with
//! `quit`/`exit`, end of input, or when the server goes away.
//!
//! ```text
//! cargo run -p pycos-examples --bin chat_client [host] [port]   # 127.0.0.1 3456
//! ```

use std::io;
use std::net::TcpStream;
use std::sync::Arc;

use pycos::prelude::*;
use pycos_examples::console;

#[task]
fn client_recv(sock: Arc<AsyncSocket>, sender: Task) {
    while let Ok(Some(msg)) = sock.recv_msg().await {
        if msg.is_empty() {
            break;
        }
        println!("  {}", String::from_utf8_lossy(&msg));
    }
    let _ = sender.terminate();
}

#[task]
fn client_send(sock: Arc<AsyncSocket>) {
    let thread_pool = AsyncThreadPool::new(1);
    loop {
        let line = thread_pool.async_task(|| {
            let mut line = String::new();
            match std::io::stdin().read_line(&mut line) {
                Ok(0) | Err(_) => None,
                Ok(_) => Some(line),
            }
        });
        let Ok(Some(line)) = line.await else { break };
        let line = line.trim();
        if line == "quit" || line == "exit" {
            break;
        }
        // pycos sends empty lines too, and the server takes one as a goodbye.
        if !line.is_empty() && sock.send_msg(line.as_bytes()).await.is_err() {
            break;
        }
    }
}

#[pycos::main]
fn main() -> io::Result<()> {
    let addr = console::host_port_args("3456");
    // As in pycos: a plain blocking connect, then the socket goes async.
    let sock = TcpStream::connect(addr)?;
    let sock = Arc::new(AsyncSocket::try_from(sock)?);
    let sender = Task::new(client_send(sock.clone()));
    let recvr = Task::new(client_recv(sock, sender.untyped()));
    let _ = sender.value();
    let _ = recvr.terminate();
    Ok(())
}
