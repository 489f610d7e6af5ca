use std::io::Write;

use pycos::prelude::*;

#[task]
fn client() -> std::io::Result<()> {
    let mut stream = std::net::TcpStream::connect("127.0.0.1:9000")?;
    stream.write_all(b"hello")?;
    Ok(())
}

fn main() {}
