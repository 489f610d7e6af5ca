//! TCP echo on 127.0.0.1: a client sends 64 bytes and waits for them to
//! come back, `n` times in a row, through `pycos::AsyncSocket` beside
//! tokio's `TcpStream`; both sides use `TCP_NODELAY` (DESIGN: tokio did 66k
//! round trips/s; target ≥ 0.95× tokio).

use std::net::SocketAddr;
use std::time::Instant;

use pycos::AsyncSocket;
use pycos::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::measure::{Config, alternate, pycos_rt, tokio_rt};
use crate::table::{Row, Target};

const BASE: usize = 50_000;
const SIZE: usize = 64;

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let n = config.size(BASE);
    let (pycos, tokio) = alternate(config.rounds(), || pycos_once(n), || tokio_once(n));
    vec![Row {
        workload: format!("TCP echo, {SIZE} bytes ({n} round trips)"),
        unit: "k trips/s",
        pycos: n as f64 / pycos / 1e3,
        tokio: n as f64 / tokio / 1e3,
        target: Target::AtLeast(0.95),
    }]
}

/// Reads exactly `buf.len()` bytes.
async fn recv_exact(sock: &AsyncSocket, buf: &mut [u8]) {
    let mut got = 0;
    while got < buf.len() {
        let n = sock.recv_into(&mut buf[got..]).await.expect("recv");
        assert!(n > 0, "peer closed early");
        got += n;
    }
}

#[task]
fn echo_server(listener: AsyncSocket, n: usize) {
    let (conn, _) = listener.accept().await.expect("accept");
    conn.set_nodelay(true).expect("nodelay");
    let mut buf = [0_u8; SIZE];
    for _ in 0..n {
        recv_exact(&conn, &mut buf).await;
        conn.sendall(&buf).await.expect("send");
    }
}

#[task]
fn echo_client(addr: SocketAddr, n: usize) -> f64 {
    let sock = AsyncSocket::create_connection(addr, None, None)
        .await
        .expect("connect");
    sock.set_nodelay(true).expect("nodelay");
    let out = [7_u8; SIZE];
    let mut back = [0_u8; SIZE];
    let start = Instant::now();
    for _ in 0..n {
        sock.sendall(&out).await.expect("send");
        recv_exact(&sock, &mut back).await;
    }
    start.elapsed().as_secs_f64()
}

fn pycos_once(n: usize) -> f64 {
    let sched = pycos_rt();
    let listener =
        AsyncSocket::tcp_listener("127.0.0.1:0".parse().expect("address")).expect("listen");
    let addr = listener.local_addr().expect("address");
    let server = sched.spawn(echo_server(listener, n));
    let secs = sched.spawn(echo_client(addr, n)).value().expect("client");
    server.value().expect("server");
    sched.finish().expect("finish");
    secs
}

fn tokio_once(n: usize) -> f64 {
    tokio_rt().block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("listen");
        let addr = listener.local_addr().expect("address");
        let server = tokio::spawn(async move {
            let (mut conn, _) = listener.accept().await.expect("accept");
            conn.set_nodelay(true).expect("nodelay");
            let mut buf = [0_u8; SIZE];
            for _ in 0..n {
                conn.read_exact(&mut buf).await.expect("recv");
                conn.write_all(&buf).await.expect("send");
            }
        });
        let client = tokio::spawn(async move {
            let mut sock = TcpStream::connect(addr).await.expect("connect");
            sock.set_nodelay(true).expect("nodelay");
            let out = [7_u8; SIZE];
            let mut back = [0_u8; SIZE];
            let start = Instant::now();
            for _ in 0..n {
                sock.write_all(&out).await.expect("send");
                sock.read_exact(&mut back).await.expect("recv");
            }
            start.elapsed().as_secs_f64()
        });
        let secs = client.await.expect("client");
        server.await.expect("server");
        secs
    })
}
