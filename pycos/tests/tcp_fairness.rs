//! Fairness of socket operations (DESIGN §3): a task whose reads, accepts
//! or futures-io polls all complete at once still gives the other tasks of
//! its scheduler a turn after a bounded number of them (the cooperative
//! budget, 128 per turn). Each test counts the busy task's operations in a
//! shared counter and lets a second task, queued right behind it, record
//! how many had happened when it first ran: without the budget the busy
//! task runs to its end first.

#[path = "support/fairness.rs"]
mod fairness;
#[path = "support/net.rs"]
mod net;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::AsyncReadExt;
use pycos::io::AsyncSocket;
use pycos::prelude::*;

use fairness::{OPS, check};

#[pycos::test]
async fn a_reader_of_buffered_empty_frames_gives_way() {
    let (client, server) = net::pair().await;
    // 4 bytes each: all of them fit in the socket buffer before reading.
    let frames = vec![0_u8; 4 * OPS];
    client.sendall(&frames).await.unwrap();
    drop(client);
    let (seen, reads) = fairness::race(|reads| {
        TaskSpec::new(
            "reader",
            (server, reads),
            |(server, reads), _task| async move {
                while let Some(msg) = server.recv_msg().await.unwrap() {
                    assert!(msg.is_empty());
                    reads.fetch_add(1, Ordering::SeqCst);
                }
                reads.load(Ordering::SeqCst)
            },
        )
    })
    .await;
    assert_eq!(reads, OPS);
    check(seen, "reads");
}

#[pycos::test]
async fn a_peer_flooding_empty_frames_does_not_freeze_the_scheduler() {
    let listener = net::listener(net::V4, 8);
    let addr = listener.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    // The flood: batches of empty frames from a thread, non-stop, until the
    // other task has had a turn (or a bound far above what it takes).
    let flood = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peer = std::net::TcpStream::connect(addr).unwrap();
            let batch = vec![0_u8; 4 * 1024];
            for _ in 0..2_500 {
                if stop.load(Ordering::SeqCst) {
                    return true;
                }
                if peer.write_all(&batch).is_err() {
                    break;
                }
            }
            false
        })
    };
    let (server, _) = listener.accept().await.unwrap();
    // Wait for the first frame, so the flood is on when the reader starts.
    server.recvall(4).await.unwrap();
    let reader = Task::new(TaskSpec::new(
        "reader",
        server,
        |server, _task| async move {
            let mut reads = 0_usize;
            while server.recv_msg().await.unwrap().is_some() {
                reads += 1;
            }
            reads
        },
    ));
    let other = Task::new(TaskSpec::new("other", stop, |stop, _task| async move {
        stop.store(true, Ordering::SeqCst);
    }));
    other.finish().await.unwrap();
    // The flood thread ends, closing its end, once it sees the flag or has
    // sent everything; the reader reads on until then. Only then is the
    // join sure not to block the scheduler the reader needs.
    reader.finish().await.unwrap();
    let stopped_by_other = flood.join().unwrap();
    assert!(
        stopped_by_other,
        "the other task got no turn while the peer was flooding"
    );
}

#[pycos::test]
async fn an_accept_that_fails_at_once_gives_way() {
    // Not listening: every accept fails at once (EINVAL), as one does at
    // the descriptor limit (EMFILE), without waiting.
    let sock = AsyncSocket::tcp_v4().unwrap();
    let (seen, ()) = fairness::race(|failures| {
        TaskSpec::new(
            "acceptor",
            (sock, failures),
            |(sock, failures), _task| async move {
                for _ in 0..OPS {
                    assert!(sock.accept().await.is_err());
                    failures.fetch_add(1, Ordering::SeqCst);
                }
            },
        )
    })
    .await;
    check(seen, "failed accepts");
}

#[pycos::test]
async fn futures_io_reads_of_buffered_bytes_give_way() {
    let (client, server) = net::pair().await;
    client.sendall(&[7_u8; OPS]).await.unwrap();
    drop(client);
    let (seen, ()) = fairness::race(|reads| {
        TaskSpec::new(
            "reader",
            (server, reads),
            |(server, reads), _task| async move {
                let mut byte = [0_u8; 1];
                let mut stream = &server;
                while stream.read(&mut byte).await.unwrap() == 1 {
                    reads.fetch_add(1, Ordering::SeqCst);
                }
            },
        )
    })
    .await;
    check(seen, "futures-io reads");
}
