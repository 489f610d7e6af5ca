//! Port of pycos' `socket_afile.py`: a client task sends a file through a
//! socket used as an [`AsyncFile`]; the server side reads it the same way.
//! Both print SHA-1 checksums, which match.
//!
//! ```text
//! cargo run -p pycos-examples --bin socket_afile [file]   # default: this program
//! ```

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;

use pycos::prelude::*;
use pycos_examples::sha1::Sha1;

const CHUNK: usize = 16 * 1024;

#[task]
fn client_proc(addr: SocketAddr, input: AsyncFile) -> io::Result<()> {
    let sock = AsyncSocket::create_connection(addr, None, None).await?;
    let afd = AsyncFile::from(sock);
    let mut csum = Sha1::default();
    loop {
        let data = input.read(CHUNK).await?;
        if data.is_empty() {
            break;
        }
        csum.update(&data);
        afd.write_full(&data).await?;
    }
    afd.close();
    println!("client sha1 csum: {}", csum.hexdigest());
    Ok(())
}

#[task]
fn server_proc(conn: AsyncFile) -> io::Result<()> {
    let mut csum = Sha1::default();
    let mut chunks = 0;
    loop {
        let data = conn.read(CHUNK).await?;
        if data.is_empty() {
            break;
        }
        csum.update(&data);
        chunks += 1;
    }
    conn.close();
    println!("server sha1 csum: {}", csum.hexdigest());
    println!("chunks: {chunks}");
    Ok(())
}

#[pycos::main]
fn main() -> io::Result<()> {
    let listener = TcpListener::bind("localhost:0")?;
    let addr = listener.local_addr()?;
    println!("host: {}, port: {}", addr.ip(), addr.port());
    let path = std::env::args()
        .nth(1)
        .map_or_else(std::env::current_exe, |path| Ok(PathBuf::from(path)))?;
    // Opened before anything starts, so a missing file stops the program
    // with a message naming it instead of sending an empty input. A regular
    // file: served by a worker thread, awaited like the socket.
    let input = match AsyncFile::open(&path) {
        Ok(input) => input,
        Err(err) => {
            eprintln!("socket_afile: {err}");
            std::process::exit(1);
        }
    };
    Task::new(client_proc(addr, input));
    // As in pycos, the main thread accepts with a plain blocking call.
    let (conn, _peer) = listener.accept()?;
    Task::new(server_proc(AsyncFile::new(conn)?));
    Ok(())
}
