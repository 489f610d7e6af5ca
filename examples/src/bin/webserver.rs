//! Port of pycos' `webserver.py`, the ping-pong HTTP server: every request
//! gets the same tiny response. Runs until `quit`/`exit` or end of input.
//!
//! ```text
//! cargo run -p pycos-examples --bin webserver [host:port]   # default 127.0.0.1:8010
//! curl http://127.0.0.1:8010/
//! ```

use std::io;

use pycos::prelude::*;
use pycos_examples::console;

/// pycos' response, byte for byte (its body is longer than announced).
const PONG: &[u8] = b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nPong!\r\n";

#[task]
fn process(conn: AsyncSocket) -> io::Result<()> {
    // Unlike pycos, take the request head first: closing a socket with
    // unread input resets the connection, and the client may lose the reply.
    let mut head = Vec::new();
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let chunk = conn.recv(4096).await?;
        if chunk.is_empty() {
            break;
        }
        head.extend_from_slice(&chunk);
    }
    conn.sendall(PONG).await?;
    conn.close().await
}

#[task]
fn server(sock: AsyncSocket, task: TaskCtx) -> io::Result<()> {
    task.set_daemon(true);
    loop {
        let (conn, _addr) = sock.accept().await?;
        Task::new(process(conn));
    }
}

#[pycos::main]
fn main() -> io::Result<()> {
    let addr = console::addr_arg(1, "127.0.0.1:8010");
    let sock = if addr.is_ipv4() {
        AsyncSocket::tcp_v4()?
    } else {
        AsyncSocket::tcp_v6()?
    };
    sock.set_reuseaddr(true)?;
    sock.bind(addr)?;
    sock.listen(5000)?;
    println!("server at {}", sock.local_addr()?);
    Task::new(server(sock));
    console::until_quit("");
    Ok(())
}
