//! The server process: a node with the `bench_server` task, a raw echo
//! listener and a raw file sink. It prints `bench-server node=IP:PORT
//! echo=IP:PORT sink=IP:PORT dest=PATH` and serves until its standard
//! input closes (or it is killed).

use std::io::{BufRead, Write};
use std::time::Duration;

use pycos::prelude::*;
use pycos::{AsyncSocket, Msg};

use crate::{Burst, Ping, SECRET, SERVER_TASK};

pub(crate) fn main() {
    let dest = std::env::temp_dir().join(format!("pycos-net-bench-{}", std::process::id()));
    let node = pycos_net::Node::builder()
        .dest_path(&dest)
        .name("bench-server")
        .host("127.0.0.1".parse().expect("address"))
        .tcp_port(0)
        .discover(false)
        .secret(SECRET)
        .msg_timeout(Duration::from_secs(30))
        .start()
        .expect("the server node starts");
    let echo = AsyncSocket::tcp_listener("127.0.0.1:0".parse().expect("address")).expect("listen");
    let echo_at = echo.local_addr().expect("address");
    let sink = AsyncSocket::tcp_listener("127.0.0.1:0".parse().expect("address")).expect("listen");
    let sink_at = sink.local_addr().expect("address");
    pycos_net::Rps::<crate::bench_echo>::register().expect("bench_echo is published");
    let sched = node.scheduler().clone();
    sched.spawn(serve());
    sched.spawn(accept_echo(echo));
    sched.spawn(accept_sink(sink, dest.join("raw-copy.bin")));
    println!(
        "bench-server node={} echo={echo_at} sink={sink_at} dest={}",
        node.location(),
        dest.display()
    );
    std::io::stdout().flush().expect("stdout");
    // Serve until the parent closes our input (or kills us).
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
    }
}

/// Answers pings, and counts bursts.
#[task]
fn serve(task: TaskCtx) {
    task.set_daemon(true);
    task.register(SERVER_TASK).expect("the name is free");
    let mut burst: Option<(Task, u64)> = None;
    let mut counted = 0_u64;
    loop {
        let msg: Msg = task.receive().await;
        if let Some(Ping(from, i)) = msg.downcast_ref::<Ping>() {
            let _ = from.send(*i);
        } else if msg.is::<u64>() {
            counted += 1;
            if let Some((from, n)) = &burst
                && counted == *n
            {
                let _ = from.send(*n);
                burst = None;
            }
        } else if let Some(Burst { from, n }) = msg.downcast_ref::<Burst>() {
            counted = 0;
            burst = Some((from.clone(), *n));
        }
    }
}

#[task]
fn accept_echo(listener: AsyncSocket, task: TaskCtx) {
    task.set_daemon(true);
    while let Ok((conn, _)) = listener.accept().await {
        let _ = conn.set_nodelay(true);
        Task::new(echo(conn));
    }
}

/// Sends back whatever arrives, until the peer closes.
#[task]
fn echo(conn: AsyncSocket, task: TaskCtx) {
    task.set_daemon(true);
    let mut buf = [0_u8; 4096];
    while let Ok(n @ 1..) = conn.recv_into(&mut buf).await {
        if conn.sendall(&buf[..n]).await.is_err() {
            break;
        }
    }
}

#[task]
fn accept_sink(listener: AsyncSocket, path: std::path::PathBuf, task: TaskCtx) {
    task.set_daemon(true);
    while let Ok((conn, _)) = listener.accept().await {
        Task::new(sink(conn, path.clone()));
    }
}

/// The raw copy's receiver: an 8-byte length, then that many bytes,
/// written to `path` as they come (plain blocking writes: the page
/// cache takes them at once); answers the count once all are written,
/// then deletes the file.
#[task]
fn sink(conn: AsyncSocket, path: std::path::PathBuf, task: TaskCtx) {
    task.set_daemon(true);
    let Ok(mut file) = std::fs::File::create(&path) else {
        return;
    };
    let mut head = [0_u8; 8];
    let mut got = 0;
    while got < 8 {
        match conn.recv_into(&mut head[got..]).await {
            Ok(n @ 1..) => got += n,
            _ => return,
        }
    }
    let size = u64::from_be_bytes(head);
    let mut buf = vec![0_u8; 256 << 10];
    let mut left = size;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        match conn.recv_into(&mut buf[..want]).await {
            Ok(n @ 1..) => {
                if file.write_all(&buf[..n]).is_err() {
                    return;
                }
                left -= n as u64;
            }
            _ => return,
        }
    }
    let _ = conn.sendall(&size.to_be_bytes()).await;
    // As `send_file`'s copy is deleted after each round: only one copy
    // takes disk space at a time.
    drop(file);
    let _ = std::fs::remove_file(&path);
}
