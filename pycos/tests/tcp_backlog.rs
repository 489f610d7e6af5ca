//! The listen backlog: `tcp_listener` has room for the system's maximum of
//! connections not yet accepted (std's 128 made a burst of connects wait
//! for SYN retransmissions), and the caller can choose another.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use pycos::io::AsyncSocket;

/// Connects made before the first accept: more than std's 128.
const BURST: usize = 300;

/// Longest wait for one connect. A connect that finds the accept queue
/// full waits at least a second for the retransmitted SYN, and never
/// completes while nobody accepts.
const PATIENCE: Duration = Duration::from_secs(3);

/// Connects `BURST` clients to `listener` before accepting any, then
/// accepts them all.
fn burst_before_accept(listener: &AsyncSocket) {
    let addr: SocketAddr = listener.local_addr().unwrap();
    let mut clients = Vec::with_capacity(BURST);
    for i in 0..BURST {
        match TcpStream::connect_timeout(&addr, PATIENCE) {
            Ok(client) => clients.push(client),
            Err(err) => panic!(
                "connect {} of {BURST} did not complete before any accept ({err}): \
                 the backlog is too small",
                i + 1
            ),
        }
    }
    for _ in 0..BURST {
        let (_conn, peer) = listener.blocking().accept().unwrap();
        assert!(clients.iter().any(|c| c.local_addr().unwrap() == peer));
    }
}

#[test]
fn the_default_backlog_holds_a_burst_of_connects() {
    let backlog = AsyncSocket::default_backlog();
    if (backlog as usize) <= BURST {
        eprintln!("somaxconn is {backlog} here: a burst of {BURST} cannot show it");
        return;
    }
    let listener = AsyncSocket::tcp_listener("127.0.0.1:0".parse().unwrap()).unwrap();
    burst_before_accept(&listener);
}

#[test]
fn a_chosen_backlog_holds_a_burst_of_connects() {
    let listener =
        AsyncSocket::tcp_listener_with_backlog("127.0.0.1:0".parse().unwrap(), (BURST + 10) as u32)
            .unwrap();
    burst_before_accept(&listener);
}
