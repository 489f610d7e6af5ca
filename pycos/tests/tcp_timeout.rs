//! pycos' timeout rules for sockets, on a virtual clock: `recv`, `send`,
//! `accept` and `recv_msg` fail with `TimedOut`; `recvall` returns the bytes
//! that came (an inactivity limit); `sendall` returns the count sent (a
//! total limit); `.timeout(t)` abandons a read without losing its bytes.

#[path = "support/net.rs"]
mod net;

use std::io::ErrorKind;
use std::sync::Arc;

use pycos::io::AsyncSocket;
use pycos::prelude::*;

fn now() -> f64 {
    pycos::time::now().unwrap()
}

#[pycos::test(virtual_clock)]
async fn recv_times_out_with_an_error() {
    let (client, _server) = net::pair().await;
    client.settimeout(2.5);
    assert_eq!(
        client.gettimeout(),
        Some(std::time::Duration::from_millis(2500))
    );
    let start = now();
    let err = client.recv(10).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert!(
        (now() - start - 2.5).abs() < 1e-6,
        "waited {}",
        now() - start
    );
    let err = client.recv_msg().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
}

#[pycos::test(virtual_clock)]
async fn accept_times_out() {
    let listener = net::listener(net::V4, 8);
    listener.settimeout(1.0);
    assert_eq!(
        listener.accept().await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    listener.settimeout(None);
    assert_eq!(listener.gettimeout(), None);
}

#[pycos::test(virtual_clock)]
async fn recvall_returns_partial_data_on_timeout() {
    let (client, server) = net::pair().await;
    server.settimeout(3.0);
    client.sendall(b"abc").await.unwrap();
    let start = now();
    assert_eq!(server.recvall(10).await.unwrap(), b"abc");
    assert!((now() - start - 3.0).abs() < 1e-6);
    // Nothing at all: the timeout is an error.
    assert_eq!(
        server.recvall(10).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
}

#[task]
fn trickle(sock: Arc<AsyncSocket>, chunks: usize, gap: f64, task: TaskCtx) {
    for i in 0..chunks {
        task.sleep(gap).await;
        sock.sendall(&[b'a' + i as u8]).await.unwrap();
    }
}

#[pycos::test(virtual_clock)]
async fn recvall_limit_restarts_when_data_arrives() {
    let (client, server) = net::pair().await;
    server.settimeout(2.0);
    // Five bytes, 1.5 s apart: 7.5 s in all, never 2 s without data.
    Task::new(trickle(Arc::new(client), 5, 1.5));
    let start = now();
    assert_eq!(server.recvall(5).await.unwrap(), b"abcde");
    assert!((now() - start - 7.5).abs() < 1e-6, "took {}", now() - start);
}

/// A sender whose peer never reads: the kernel buffers fill up.
async fn stalled_pair() -> (AsyncSocket, AsyncSocket) {
    let (client, server) = net::pair().await;
    client.set_send_buffer_size(4096).unwrap();
    server.set_recv_buffer_size(4096).unwrap();
    (client, server)
}

#[pycos::test(virtual_clock)]
async fn sendall_returns_the_count_on_a_total_timeout() {
    let (client, _server) = stalled_pair().await;
    client.settimeout(4.0);
    let data = vec![1_u8; 8 * 1024 * 1024];
    let start = now();
    let sent = client.sendall(&data).await.unwrap();
    assert!(sent > 0 && sent < data.len(), "sent {sent}");
    assert!((now() - start - 4.0).abs() < 1e-6);
    // Nothing more fits: now the timeout is an error.
    assert_eq!(
        client.sendall(&data).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    assert_eq!(
        client.send(&data).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
}

#[pycos::test(virtual_clock)]
async fn send_msg_timeout_reports_a_partial_frame() {
    let (client, _server) = stalled_pair().await;
    client.settimeout(1.0);
    let err = client
        .send_msg(&vec![0_u8; 4 * 1024 * 1024])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut);
}

#[pycos::test(virtual_clock)]
async fn abandoned_recvall_keeps_its_bytes() {
    let (client, server) = net::pair().await;
    client.sendall(b"hello").await.unwrap();
    // No settimeout: `.timeout` abandons the read after 1 s.
    assert!(server.recvall(8).timeout(1.0).await.is_none());
    client.sendall(b" world").await.unwrap();
    assert_eq!(server.recvall(11).await.unwrap(), b"hello world");
}

#[pycos::test(virtual_clock)]
async fn timed_out_recv_msg_continues_the_same_frame() {
    let (client, server) = net::pair().await;
    server.settimeout(1.0);
    // Half a prefix, then half a payload: each wait times out, the stream stays in step.
    client.sendall(&[0, 0]).await.unwrap();
    assert_eq!(
        server.recv_msg().await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    client.sendall(&[0, 6, b'p', b'y', b'c']).await.unwrap();
    assert_eq!(
        server.recv_msg().await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    client.sendall(b"os!").await.unwrap();
    client.send_msg(b"next").await.unwrap();
    assert_eq!(server.recv_msg().await.unwrap().unwrap(), b"pycos!");
    assert_eq!(server.recv_msg().await.unwrap().unwrap(), b"next");
}

#[pycos::test(virtual_clock)]
async fn zero_timeout_tries_once() {
    let (client, server) = net::pair().await;
    server.settimeout(0);
    let start = now();
    assert_eq!(
        server.recv(4).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    client.sendall(b"data").await.unwrap();
    assert_eq!(server.recv(4).await.unwrap(), b"data");
    assert_eq!(now(), start);
}

#[pycos::test(virtual_clock)]
async fn waiting_for_a_turn_counts_against_the_limit(task: TaskCtx) {
    let (_client, server) = net::pair().await;
    let server = Arc::new(server);
    let first = {
        let server = server.clone();
        Task::new(TaskSpec::new("first", (), move |(), _task| async move {
            server.recv(1).timeout(10.0).await.is_none()
        }))
    };
    task.sleep(0.5).await; // `first` is reading, without a limit
    server.settimeout(2.0);
    let start = now();
    // `first` holds the read turn for 10 s; this read gives up after 2.
    assert_eq!(
        server.recv(1).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    assert!((now() - start - 2.0).abs() < 1e-6);
    assert!(first.finish().await.unwrap(), "first timed out too");
}

#[pycos::test(virtual_clock)]
async fn connect_times_out_against_a_full_backlog() {
    // With its accept queue full, the kernel drops new SYNs: connecting
    // stays in progress until the limit.
    let listener = net::listener(net::V4, 0);
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    let start = now();
    loop {
        let sock = AsyncSocket::tcp_v4().unwrap();
        sock.settimeout(5.0);
        match sock.connect(addr).await {
            Ok(()) => held.push(sock),
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::TimedOut, "{err}");
                break;
            }
        }
        assert!(held.len() < 16, "the backlog never filled");
    }
    assert!((now() - start - 5.0).abs() < 1e-6);
}
