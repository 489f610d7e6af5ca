//! Port of pycos' `sock_server.py`: accepts connections and prints what
//! each client sends until it closes; on `quit`/`exit` (or end of input) it
//! prints how many messages arrived. Pair it with `sock_client`.
//!
//! ```text
//! cargo run -p pycos-examples --bin sock_server [host:port]   # default 127.0.0.1:8010
//! ```

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pycos::prelude::*;
use pycos_examples::console;

#[task]
fn process(conn: AsyncSocket, recvd: Arc<AtomicUsize>) -> io::Result<()> {
    let mut data = Vec::new();
    loop {
        let chunk = conn.recv(128).await?;
        if chunk.is_empty() {
            break;
        }
        data.extend_from_slice(&chunk);
    }
    drop(conn);
    println!("received: {}", String::from_utf8_lossy(&data));
    recvd.fetch_add(1, Ordering::SeqCst);
    Ok(())
}

#[task]
fn server(sock: AsyncSocket, recvd: Arc<AtomicUsize>, task: TaskCtx) -> io::Result<()> {
    task.set_daemon(true);
    loop {
        let (conn, _addr) = sock.accept().await?;
        Task::new(process(conn, recvd.clone()));
    }
}

fn listen(addr: SocketAddr) -> io::Result<AsyncSocket> {
    let sock = if addr.is_ipv4() {
        AsyncSocket::tcp_v4()?
    } else {
        AsyncSocket::tcp_v6()?
    };
    sock.set_reuseaddr(true)?;
    sock.bind(addr)?;
    sock.listen(128)?;
    Ok(sock)
}

#[pycos::main]
fn main() -> io::Result<()> {
    let sock = listen(console::addr_arg(1, "127.0.0.1:8010"))?;
    println!("server at {}", sock.local_addr()?);
    let recvd = Arc::new(AtomicUsize::new(0));
    Task::new(server(sock, recvd.clone()));
    console::until_quit("Enter \"quit\" or \"exit\" to terminate: ");
    println!("Received {} messages", recvd.load(Ordering::SeqCst));
    Ok(())
}
