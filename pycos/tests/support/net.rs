//! Loopback helpers for the I/O tests (`#[path = "support/net.rs"] mod net;`).
#![allow(dead_code, reason = "each test file uses a subset")]

use std::net::SocketAddr;

use pycos::io::AsyncSocket;

pub(crate) const V4: &str = "127.0.0.1:0";
pub(crate) const V6: &str = "[::1]:0";

pub(crate) fn addr(text: &str) -> SocketAddr {
    text.parse().unwrap()
}

/// A listener on an ephemeral loopback port with room for `backlog`
/// pending connections.
pub(crate) fn listener(local: &str, backlog: i32) -> AsyncSocket {
    let local = addr(local);
    let sock = if local.is_ipv4() {
        AsyncSocket::tcp_v4()
    } else {
        AsyncSocket::tcp_v6()
    }
    .unwrap();
    sock.set_reuseaddr(true).unwrap();
    sock.bind(local).unwrap();
    sock.listen(backlog).unwrap();
    sock
}

/// A connected pair on loopback: (client, server side). Call in a task.
pub(crate) async fn pair() -> (AsyncSocket, AsyncSocket) {
    let listener = listener(V4, 8);
    let client = AsyncSocket::tcp_v4().unwrap();
    // The kernel completes the handshake from the backlog: no accept needed first.
    client
        .connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, peer) = listener.accept().await.unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    (client, server)
}

/// Whether IPv6 loopback is usable here (some sandboxes lack `::1`).
pub(crate) fn has_ipv6() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}
