//! TLS on loopback with a self-signed certificate made for the test:
//! handshakes in connect and in an accepted connection's first operation, framed and bulk data, name checks, a
//! client that does not trust the server, and starting TLS on a connected
//! socket.
#![cfg(feature = "tls")]

#[path = "support/net.rs"]
mod net;
#[path = "support/tls.rs"]
mod tls;

use std::io::ErrorKind;
use std::net::SocketAddr;

use pycos::io::{AsyncSocket, TlsClient, TlsError, TlsServer};
use pycos::prelude::*;
use tls::{make_pem, pem};

fn tls_listener() -> AsyncSocket {
    let server = TlsServer::from_pem_files(&pem().cert, &pem().key).unwrap();
    net::listener(net::V4, 16).with_tls_server(server)
}

#[task]
fn tls_echo_conn(conn: AsyncSocket) {
    assert!(conn.is_tls());
    // A client that fails the handshake ends only this connection.
    while let Ok(Some(msg)) = conn.recv_msg().await {
        if conn.send_msg(&msg).await.is_err() {
            return;
        }
    }
    let _ = conn.close().await;
}

#[task]
fn tls_echo(listener: AsyncSocket, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let (conn, _) = listener.accept().await.unwrap();
        Task::new(tls_echo_conn(conn));
    }
}

async fn tls_connect(addr: SocketAddr, client: TlsClient) -> std::io::Result<AsyncSocket> {
    let sock = AsyncSocket::tcp_v4().unwrap().with_tls_client(client);
    sock.connect(addr).await?;
    Ok(sock)
}

#[pycos::test]
async fn round_trip_over_tls() {
    let listener = tls_listener();
    let addr = listener.local_addr().unwrap();
    Task::new(tls_echo(listener));
    let client = TlsClient::from_pem_file(&pem().cert).unwrap();
    let sock = tls_connect(addr, client).await.unwrap();
    assert!(sock.is_tls());
    for size in [0, 1, 100, 20_000, 1 << 20] {
        let msg: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        sock.send_msg(&msg).await.unwrap();
        assert_eq!(sock.recv_msg().await.unwrap().unwrap(), msg, "size {size}");
    }
    sock.close().await.unwrap();
}

#[pycos::test]
async fn server_name_is_checked() {
    let listener = tls_listener();
    let addr = listener.local_addr().unwrap();
    Task::new(tls_echo(listener));
    let by_name = TlsClient::from_pem_file(&pem().cert)
        .unwrap()
        .server_name("localhost");
    let sock = tls_connect(addr, by_name).await.unwrap();
    sock.send_msg(b"named").await.unwrap();
    assert_eq!(sock.recv_msg().await.unwrap().unwrap(), b"named");

    let wrong = TlsClient::from_pem_file(&pem().cert)
        .unwrap()
        .server_name("example.invalid");
    let err = tls_connect(addr, wrong).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData, "{err}");
    assert!(err.get_ref().unwrap().downcast_ref::<TlsError>().is_some());
}

#[pycos::test]
async fn a_client_that_trusts_another_certificate_is_refused() {
    let listener = tls_listener();
    let addr = listener.local_addr().unwrap();
    Task::new(tls_echo(listener));
    let other = make_pem("other", &["127.0.0.1"]);
    let err = tls_connect(addr, TlsClient::from_pem_file(&other.cert).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData, "{err}");
}

#[pycos::test]
async fn start_tls_on_connected_sockets_and_bulk_data() {
    let (client, server) = net::pair().await;
    let tls_server = TlsServer::from_pem_files(&pem().cert, &pem().key).unwrap();
    let handshake = Task::new(TaskSpec::new(
        "server",
        server,
        move |server, _task| async move {
            server.start_tls_server(&tls_server).await.unwrap();
            let data = server.recvall(3 << 20).await.unwrap();
            server.sendall(&data).await.unwrap();
            server.close().await.unwrap();
        },
    ));
    client
        .start_tls_client(&TlsClient::from_pem_file(&pem().cert).unwrap())
        .await
        .unwrap();
    let data: Vec<u8> = (0..3 << 20).map(|i: u32| (i % 253) as u8).collect();
    assert_eq!(client.sendall(&data).await.unwrap(), data.len());
    assert!(client.recvall(data.len()).await.unwrap() == data);
    // The server's close notification ends the stream cleanly.
    assert!(client.recv(10).await.unwrap().is_empty());
    handshake.finish().await.unwrap();
}

#[pycos::test]
async fn bad_pem_files_are_config_errors() {
    let missing =
        TlsServer::from_pem_files("/nonexistent/cert.pem", "/nonexistent/key.pem").unwrap_err();
    assert!(missing.is_config());
    let no_key = TlsServer::from_pem_files(&pem().cert, &pem().cert).unwrap_err();
    assert!(no_key.is_config(), "{no_key}");
    let not_a_cert = TlsClient::from_pem_file(&pem().key).unwrap_err();
    assert!(not_a_cert.is_config(), "{not_a_cert}");
}

#[pycos::test]
async fn plain_client_against_tls_server_fails_the_handshake() {
    let listener = tls_listener();
    let addr = listener.local_addr().unwrap();
    let served = Task::new(TaskSpec::new(
        "acceptor",
        listener,
        |listener, _task| async move {
            // The listener accepts; the connection fails, first with the
            // cause, then saying the handshake failed.
            let (conn, _) = listener.accept().await.unwrap();
            assert!(conn.is_tls());
            let first = conn.recv_msg().await.unwrap_err();
            let again = conn.send_msg(b"no").await.unwrap_err();
            let tls_error = |err: &std::io::Error| {
                err.get_ref()
                    .and_then(|e| e.downcast_ref::<TlsError>())
                    .is_some_and(|e| !e.is_config())
            };
            assert!(tls_error(&first) && tls_error(&again), "{first} / {again}");
            assert!(again.to_string().contains("handshake failed"), "{again}");
            (first.kind(), again.kind())
        },
    ));
    let plain = AsyncSocket::create_connection(addr, None, None)
        .await
        .unwrap();
    plain.sendall(b"GET / HTTP/1.0\r\n\r\n").await.unwrap();
    let kinds = served.finish().await.unwrap();
    assert_eq!(kinds, (ErrorKind::InvalidData, ErrorKind::InvalidData));
}

#[test]
fn blocking_tls_between_threads() {
    let listener = net::listener(net::V4, 8);
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let tls = TlsServer::from_pem_files(&pem().cert, &pem().key).unwrap();
        let (conn, _) = listener.blocking().accept().unwrap();
        conn.blocking().start_tls_server(&tls).unwrap();
        let msg = conn.blocking().recv_msg().unwrap().unwrap();
        conn.blocking().send_msg(&msg).unwrap();
        conn.close_blocking().unwrap();
    });
    let client = AsyncSocket::tcp_v4().unwrap();
    client.settimeout(30.0);
    client.blocking().connect(addr).unwrap();
    client
        .blocking()
        .start_tls_client(&TlsClient::from_pem_file(&pem().cert).unwrap())
        .unwrap();
    client.blocking().send_msg(b"blocking tls").unwrap();
    assert_eq!(
        client.blocking().recv_msg().unwrap().unwrap(),
        b"blocking tls"
    );
    assert_eq!(
        client.blocking().recv_msg().unwrap(),
        None,
        "close notification, then the end"
    );
    server.join().unwrap();
}
