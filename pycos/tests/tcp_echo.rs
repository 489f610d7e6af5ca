//! TCP round trips on loopback: many connections on one scheduler, IPv6,
//! create_connection, and the futures-io traits.

#[path = "support/net.rs"]
mod net;

use std::net::SocketAddr;
use std::sync::Arc;

use futures_util::io::{AsyncReadExt, AsyncWriteExt};
use pycos::io::AsyncSocket;
use pycos::prelude::*;

#[task]
fn echo_conn(conn: AsyncSocket) {
    while let Some(msg) = conn.recv_msg().await.unwrap() {
        conn.send_msg(&msg).await.unwrap();
    }
}

#[task]
fn echo_server(listener: AsyncSocket, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let (conn, _) = listener.accept().await.unwrap();
        Task::new(echo_conn(conn));
    }
}

#[task]
fn echo_client(addr: SocketAddr, id: usize, rounds: usize) -> usize {
    let sock = AsyncSocket::create_connection(addr, None, None)
        .await
        .unwrap();
    for round in 0..rounds {
        let msg = format!("client {id} round {round} {}", "x".repeat(id % 97));
        sock.send_msg(msg.as_bytes()).await.unwrap();
        let back = sock.recv_msg().await.unwrap().expect("echo");
        assert_eq!(back, msg.as_bytes());
    }
    sock.close().await.unwrap();
    id
}

#[pycos::test]
async fn thousand_clients_echo_on_one_scheduler() {
    const CLIENTS: usize = 1000;
    let listener = net::listener(net::V4, 1024);
    let addr = listener.local_addr().unwrap();
    Task::new(echo_server(listener));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| Task::new(echo_client(addr, id, 3)))
        .collect();
    for (id, client) in clients.into_iter().enumerate() {
        assert_eq!(
            client
                .finish()
                .timeout(60.0)
                .await
                .expect("clients finish in time")
                .unwrap(),
            id
        );
    }
}

#[pycos::test]
async fn ipv6_round_trip() {
    if !net::has_ipv6() {
        eprintln!("no IPv6 loopback here; skipped");
        return;
    }
    let listener = net::listener(net::V6, 8);
    let addr = listener.local_addr().unwrap();
    assert!(addr.is_ipv6());
    Task::new(echo_server(listener));
    assert_eq!(
        Task::new(echo_client(addr, 7, 5)).finish().await.unwrap(),
        7
    );
}

#[pycos::test]
async fn recv_send_and_sendall_count() {
    let (client, server) = net::pair().await;
    assert_eq!(client.send(b"ab").await.unwrap(), 2);
    assert_eq!(server.recv(10).await.unwrap(), b"ab");
    let big = vec![7_u8; 3 * 1024 * 1024];
    let writer = Arc::new(client);
    let sender = {
        let writer = writer.clone();
        let big = big.clone();
        Task::new(TaskSpec::new("sender", (), move |(), _task| async move {
            writer.sendall(&big).await.unwrap()
        }))
    };
    let got = server.recvall(big.len()).await.unwrap();
    assert_eq!(got.len(), big.len());
    assert!(got == big);
    assert_eq!(sender.finish().await.unwrap(), big.len());
}

#[pycos::test]
async fn socket_options_reach_the_socket() {
    let (client, _server) = net::pair().await;
    client.set_nodelay(true).unwrap();
    assert!(client.nodelay().unwrap());
    client.set_nodelay(false).unwrap();
    assert!(!client.nodelay().unwrap());
    client.set_reuseaddr(true).unwrap();
    assert!(client.reuseaddr().unwrap());
    client.set_keepalive(true).unwrap();
    client.set_send_buffer_size(64 * 1024).unwrap();
    client.set_recv_buffer_size(64 * 1024).unwrap();
    assert!(client.peer_addr().unwrap().ip().is_loopback());
    assert!(client.fileno() >= 0);
}

#[pycos::test]
async fn connect_refused_is_an_error() {
    // A port that was just free: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let err = AsyncSocket::create_connection(addr, 5.0, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused, "{err}");
}

#[pycos::test]
async fn create_connection_binds_the_source_address() {
    let listener = net::listener(net::V4, 8);
    let source = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let sock = AsyncSocket::create_connection(listener.local_addr().unwrap(), None, Some(source))
        .await
        .unwrap();
    let (_conn, peer) = listener.accept().await.unwrap();
    assert_eq!(peer, source);
    assert_eq!(sock.local_addr().unwrap(), source);
}

#[pycos::test]
async fn futures_io_traits_carry_a_stream() {
    let (client, server) = net::pair().await;
    let writer = Task::new(TaskSpec::new(
        "writer",
        client,
        |mut client, _task| async move {
            client.write_all(b"hello through futures-io").await.unwrap();
            client.flush().await.unwrap();
            // The trait's close (TLS notification, then shutdown), not the inherent one.
            AsyncWriteExt::close(&mut client).await.unwrap();
        },
    ));
    let mut text = String::new();
    (&server).read_to_string(&mut text).await.unwrap();
    assert_eq!(text, "hello through futures-io");
    writer.finish().await.unwrap();
}
