//! Port of pycos' `sock_client.py`: `n` tasks each connect to
//! `sock_server`, send one message of random length and close.
//!
//! ```text
//! cargo run -p pycos-examples --bin sock_client [host:port] [n]   # 127.0.0.1:8010, 10
//! ```

use std::io;
use std::net::SocketAddr;

use pycos::prelude::*;
use pycos_examples::console;

#[task]
fn client(addr: SocketAddr, n: usize) -> io::Result<()> {
    let sock = AsyncSocket::create_connection(addr, None, None).await?;
    println!("{n} connected");
    let msg = format!("{n}: {}/", "-".repeat(fastrand::usize(100..=300)));
    sock.sendall(msg.as_bytes()).await?;
    sock.close().await
}

#[pycos::main]
fn main() {
    let addr = console::addr_arg(1, "127.0.0.1:8010");
    let n = std::env::args()
        .nth(2)
        .map_or(10, |n| n.parse().expect("a number of clients"));
    for i in 0..n {
        Task::new(client(addr, i));
    }
}
