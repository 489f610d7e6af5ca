//! A TLS listener's `accept` does not wait for handshakes: a client that
//! connects and says nothing, or one that sends garbage, holds up nobody
//! else, and its failure is an error on its own connection, so the usual
//! `loop { listener.accept().await?; ... }` server keeps serving.
#![cfg(feature = "tls")]

#[path = "support/net.rs"]
mod net;
#[path = "support/tls.rs"]
mod tls;

use std::io::{self, ErrorKind};
use std::net::SocketAddr;

use pycos::io::{AsyncSocket, TlsClient, TlsError, TlsServer};
use pycos::prelude::*;
use tls::pem;

/// Longest wait for one client to be served (real time: real sockets).
const PATIENCE: f64 = 10.0;

/// How one connection of the server ended, sent to the test task.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Served {
    Echoed,
    Failed(ErrorKind, String),
}

#[task]
fn echo_once(conn: AsyncSocket, report: Task) {
    let outcome = async {
        let msg = conn.recv_msg().await?.unwrap_or_default();
        conn.send_msg(&msg).await?;
        conn.close().await
    };
    let served = match outcome.await {
        Ok(()) => Served::Echoed,
        Err(err) => {
            let peer_tls = err
                .get_ref()
                .and_then(|e| e.downcast_ref::<TlsError>())
                .is_some_and(|e| !e.is_config());
            Served::Failed(err.kind(), format!("{err} (peer TLS error: {peer_tls})"))
        }
    };
    report.send(served).unwrap();
}

/// The server loop of the docs: stops only if the listener fails.
#[task]
fn server(listener: AsyncSocket, report: Task, task: TaskCtx) -> io::Result<()> {
    task.set_daemon(true);
    loop {
        let (conn, _peer) = listener.accept().await?;
        Task::new(echo_once(conn, report.clone()));
    }
}

fn start_server() -> SocketAddr {
    let tls = TlsServer::from_pem_files(&pem().cert, &pem().key).unwrap();
    let listener = AsyncSocket::tcp_listener(net::addr(net::V4))
        .unwrap()
        .with_tls_server(tls);
    let addr = listener.local_addr().unwrap();
    let me = Pycos::cur_task().expect("in a task");
    Task::new(server(listener, me));
    addr
}

#[task]
fn good_client(addr: SocketAddr, n: usize) -> Vec<u8> {
    let client = TlsClient::from_pem_file(&pem().cert).unwrap();
    let sock = AsyncSocket::tcp_v4().unwrap().with_tls_client(client);
    sock.connect(addr).await.unwrap();
    sock.send_msg(format!("client {n}").as_bytes())
        .await
        .unwrap();
    sock.recv_msg().await.unwrap().unwrap_or_default()
}

/// Runs a good client to its end, within `PATIENCE`.
async fn served(addr: SocketAddr, n: usize) {
    let client = Task::new(good_client(addr, n));
    match client.finish().timeout(PATIENCE).await {
        Some(echo) => assert_eq!(echo.unwrap(), format!("client {n}").as_bytes()),
        None => panic!(
            "good client {n} was not served within {PATIENCE} s: \
             an earlier client's handshake blocks the listener"
        ),
    }
}

/// The next outcome the server reports, within `PATIENCE`.
async fn report(task: &TaskCtx) -> Served {
    let msg = task
        .receive()
        .timeout(PATIENCE)
        .await
        .unwrap_or_else(|| panic!("no connection outcome within {PATIENCE} s"));
    msg.downcast_ref::<Served>().expect("an outcome").clone()
}

#[pycos::test]
async fn a_silent_peer_does_not_hold_up_the_clients_behind_it(task: TaskCtx) {
    let addr = start_server();
    // Connects first and never says a word.
    let _silent = AsyncSocket::create_connection(addr, None, None)
        .await
        .unwrap();
    let clients: Vec<_> = (0..5).map(|n| Task::new(good_client(addr, n))).collect();
    for (n, client) in clients.iter().enumerate() {
        match client.finish().timeout(PATIENCE).await {
            Some(echo) => assert_eq!(echo.unwrap(), format!("client {n}").as_bytes()),
            None => panic!(
                "good client {n} of 5 was not served within {PATIENCE} s \
                 behind a silent peer"
            ),
        }
    }
    for _ in 0..5 {
        assert_eq!(report(&task).await, Served::Echoed);
    }
}

#[pycos::test]
async fn a_client_that_sends_garbage_fails_alone(task: TaskCtx) {
    let addr = start_server();
    let garbage = AsyncSocket::create_connection(addr, None, None)
        .await
        .unwrap();
    garbage.sendall(b"GET / HTTP/1.0\r\n\r\n").await.unwrap();
    match report(&task).await {
        Served::Failed(kind, text) => {
            assert_eq!(kind, ErrorKind::InvalidData, "{text}");
            assert!(text.ends_with("(peer TLS error: true)"), "{text}");
        }
        other => panic!("the garbage connection was {other:?}"),
    }
    // The listener is still accepting.
    for n in 0..2 {
        served(addr, n).await;
        assert_eq!(report(&task).await, Served::Echoed);
    }
    drop(garbage);
}

#[pycos::test]
async fn the_handshake_can_be_done_first_or_in_a_futures_io_read() {
    use futures_util::{AsyncReadExt, AsyncWriteExt};

    let tls = TlsServer::from_pem_files(&pem().cert, &pem().key).unwrap();
    let listener = net::listener(net::V4, 8).with_tls_server(tls);
    let addr = listener.local_addr().unwrap();

    // A silent peer: the explicit handshake runs into the time limit, and
    // only that connection's.
    let _silent = AsyncSocket::create_connection(addr, None, None)
        .await
        .unwrap();
    let (quiet, _) = listener.accept().await.unwrap();
    quiet.settimeout(0.05);
    assert_eq!(
        quiet.handshake().await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );

    // A good client, served through the futures-io traits: the first read
    // does the handshake.
    let client = Task::new(good_client(addr, 7));
    let (conn, _) = listener.accept().await.unwrap();
    let mut stream = &conn;
    let mut prefix = [0_u8; 4];
    stream.read_exact(&mut prefix).await.unwrap();
    let mut msg = vec![0_u8; u32::from_be_bytes(prefix) as usize];
    stream.read_exact(&mut msg).await.unwrap();
    assert_eq!(msg, b"client 7");
    stream.write_all(&prefix).await.unwrap();
    stream.write_all(&msg).await.unwrap();
    stream.flush().await.unwrap();
    let echo = client.finish().timeout(PATIENCE).await;
    assert_eq!(echo.expect("client served").unwrap(), b"client 7");
    conn.handshake().await.unwrap();
}
