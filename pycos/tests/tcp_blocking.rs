//! pycos' blocking mode: the same operations from plain threads, with the
//! same timeout rules (here on the real clock, with short limits).

#[path = "support/net.rs"]
mod net;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use pycos::io::AsyncSocket;

#[test]
fn blocking_round_trip_between_threads() {
    let listener = net::listener(net::V4, 8);
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (conn, _) = listener.blocking().accept().unwrap();
        while let Some(msg) = conn.blocking().recv_msg().unwrap() {
            conn.blocking().send_msg(&msg).unwrap();
        }
    });
    let client = AsyncSocket::tcp_v4().unwrap();
    client.blocking().connect(addr).unwrap();
    for text in ["one", "", "three"] {
        client.blocking().send_msg(text.as_bytes()).unwrap();
        assert_eq!(
            client.blocking().recv_msg().unwrap().unwrap(),
            text.as_bytes()
        );
    }
    client.close_blocking().unwrap();
    server.join().unwrap();
}

#[test]
fn blocking_timeouts_follow_pycos_rules() {
    let listener = net::listener(net::V4, 8);
    let client = AsyncSocket::tcp_v4().unwrap();
    client
        .blocking()
        .connect(listener.local_addr().unwrap())
        .unwrap();
    let (conn, _) = listener.blocking().accept().unwrap();
    conn.settimeout(0.2);
    let start = Instant::now();
    assert_eq!(
        conn.blocking().recv(4).unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    assert!(
        start.elapsed() >= Duration::from_millis(190),
        "{:?}",
        start.elapsed()
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    client.blocking().sendall(b"xy").unwrap();
    assert_eq!(conn.blocking().recvall(10).unwrap(), b"xy");
}

#[test]
fn blocking_udp() {
    let a = AsyncSocket::udp_bind(net::addr(net::V4)).unwrap();
    let b = AsyncSocket::udp_bind(net::addr(net::V4)).unwrap();
    b.blocking()
        .sendto(b"datagram", a.local_addr().unwrap())
        .unwrap();
    let (data, from) = a.blocking().recvfrom(100).unwrap();
    assert_eq!(data, b"datagram");
    assert_eq!(from, b.local_addr().unwrap());
}

#[test]
fn async_operations_outside_a_task_are_an_error() {
    let sock = AsyncSocket::udp_bind(net::addr(net::V4)).unwrap();
    let op = sock.recvfrom(10);
    let mut op = std::pin::pin!(op);
    let waker = std::task::Waker::noop();
    match op.as_mut().poll(&mut std::task::Context::from_waker(waker)) {
        std::task::Poll::Ready(Err(err)) => {
            assert!(err.get_ref().unwrap().is::<pycos::io::NotInTask>(), "{err}");
        }
        other => panic!("{other:?}"),
    }
}
