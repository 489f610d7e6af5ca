//! UDP: recvfrom/sendto on IPv4 and IPv6 loopback, many senders into one
//! receiver (pycos' udp.py), connected recv/send, and timeouts.

#[path = "support/net.rs"]
mod net;

use std::io::ErrorKind;
use std::net::SocketAddr;

use pycos::io::AsyncSocket;
use pycos::prelude::*;

#[task]
fn udp_client(server: SocketAddr, n: usize) {
    let sock = if server.is_ipv4() {
        AsyncSocket::udp_v4()
    } else {
        AsyncSocket::udp_v6()
    }
    .unwrap();
    let msg = format!("client socket: {n}");
    assert_eq!(
        sock.sendto(msg.as_bytes(), server).await.unwrap(),
        msg.len()
    );
}

async fn fifty_datagrams(local: &str) {
    let server = AsyncSocket::udp_bind(net::addr(local)).unwrap();
    let addr = server.local_addr().unwrap();
    for n in 0..50 {
        Task::new(udp_client(addr, n));
    }
    let mut seen = Vec::new();
    for _ in 0..50 {
        let (msg, from) = server.recvfrom(1024).await.unwrap();
        assert!(from.ip().is_loopback());
        let text = String::from_utf8(msg).unwrap();
        seen.push(
            text.strip_prefix("client socket: ")
                .unwrap()
                .parse::<usize>()
                .unwrap(),
        );
    }
    seen.sort_unstable();
    assert_eq!(seen, (0..50).collect::<Vec<_>>());
}

#[pycos::test]
async fn fifty_clients_ipv4() {
    fifty_datagrams(net::V4).await;
}

#[pycos::test]
async fn fifty_clients_ipv6() {
    if net::has_ipv6() {
        fifty_datagrams(net::V6).await;
    }
}

#[pycos::test]
async fn connected_udp_uses_recv_and_send() {
    let a = AsyncSocket::udp_bind(net::addr(net::V4)).unwrap();
    let b = AsyncSocket::udp_v4().unwrap();
    b.connect(a.local_addr().unwrap()).await.unwrap();
    assert!(b.is_datagram());
    assert_eq!(b.send(b"hi").await.unwrap(), 2);
    let (data, from) = a.recvfrom(10).await.unwrap();
    assert_eq!(
        (data.as_slice(), from),
        (&b"hi"[..], b.local_addr().unwrap())
    );
    a.sendto(b"a longer datagram", from).await.unwrap();
    // A short buffer takes the head of the datagram; the rest is dropped.
    assert_eq!(b.recv(4).await.unwrap(), b"a lo");
}

#[pycos::test(virtual_clock)]
async fn recvfrom_times_out() {
    let sock = AsyncSocket::udp_bind(net::addr(net::V4)).unwrap();
    sock.settimeout(3.0);
    let start = pycos::time::now().unwrap();
    assert_eq!(
        sock.recvfrom(10).await.unwrap_err().kind(),
        ErrorKind::TimedOut
    );
    assert_eq!(pycos::time::now().unwrap() - start, 3.0);
    sock.settimeout(None);
    assert!(sock.recvfrom(10).timeout(1.0).await.is_none());
}
