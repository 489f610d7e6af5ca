//! Port of pycos' `udp.py`: 50 client tasks each send one datagram to a
//! server task, which prints them; `main` waits for the server's value.
//!
//! ```text
//! cargo run -p pycos-examples --bin udp
//! ```

use std::io;
use std::net::SocketAddr;

use pycos::prelude::*;

#[task]
fn server_proc(n: usize, sock: AsyncSocket) -> io::Result<()> {
    for _ in 0..n {
        let (msg, addr) = sock.recvfrom(1024).await?;
        println!(
            "Received \"{}\" from {}:{}",
            String::from_utf8_lossy(&msg),
            addr.ip(),
            addr.port()
        );
    }
    Ok(())
}

#[task]
fn client_proc(addr: SocketAddr) -> io::Result<()> {
    let sock = AsyncSocket::udp_v4()?;
    let msg = format!("client socket: {}", sock.fileno());
    sock.sendto(msg.as_bytes(), addr).await?;
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sock = AsyncSocket::udp_bind("127.0.0.1:0".parse()?)?;
    let addr = sock.local_addr()?;
    let n = 50;
    let server_task = Task::new(server_proc(n, sock));
    for _ in 0..n {
        Task::new(client_proc(addr));
    }
    server_task.value()?;
    Ok(())
}
