//! `send_file` of a 256 MiB file to the server child, beside the two
//! limits it works within: reading the file (`cat file > /dev/null`) and
//! a raw copy of it over one `AsyncSocket` connection between the same
//! two processes (an 8-byte length, then the bytes, which the server's
//! sink writes to a file as they come, answering once all are written).
//!
//! The file is pseudo-random (a sparse one would let the receiver skip
//! its writes) and in the page cache after the first round, so every
//! figure is memory, CPU and loopback, not the disk. Each round runs the
//! three back to back, alternating which transfer goes first, and then
//! deletes the received file with `del_file`, so the next `send_file`
//! sends it whole (an identical file is not sent again).

use std::fs::File;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use pycos::AsyncSocket;
use pycos::prelude::*;
use pycos_net::{Location, Node};

use crate::client::{Server, client_node, once};
use crate::table::{Row, Target};
use crate::{Config, median};

/// The file's size (times `PYCOS_BENCH_SCALE`).
const FILE_SIZE: usize = 256 << 20;
/// Bytes per read and send of the raw copy.
const PIECE: usize = 256 << 10;
const MIB: f64 = (1 << 20) as f64;

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let server = Server::start();
    let size = config.size(FILE_SIZE, 1 << 20) as u64;
    let _watchdog =
        server.watchdog(Duration::from_secs(120) + Duration::from_secs(config.rounds as u64 * 20));
    let source = Source::new(size);
    let node = client_node();
    let sched = node.scheduler().clone();
    sched
        .spawn(crate::client::link(node.clone(), server.node))
        .value()
        .expect("linked to the server");
    let (mut sends, mut raws, mut cats) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..config.rounds {
        eprintln!("files round {} of {} ...", round + 1, config.rounds);
        let mut send = || {
            sends.push(once(
                &sched,
                send(node.clone(), server.node, source.0.clone()),
            ))
        };
        let mut raw = || raws.push(once(&sched, raw_copy(server.sink, source.0.clone())));
        if round % 2 == 0 {
            send();
            raw();
        } else {
            raw();
            send();
        }
        cats.push(cat(&source.0));
        let rate = |secs: &[f64]| secs.last().map_or(0.0, |s| size as f64 / MIB / s);
        eprintln!(
            "  send_file {:.0} MiB/s, raw copy {:.0} MiB/s, cat {:.0} MiB/s",
            rate(&sends),
            rate(&raws),
            rate(&cats)
        );
    }
    let mib_s = |secs: Vec<f64>| size as f64 / MIB / median(secs);
    let (send, raw, read) = (mib_s(sends), mib_s(raws), mib_s(cats));
    let mib = size >> 20;
    println!(
        "send_file of {mib} MiB: {send:.0} MiB/s; raw socket copy {raw:.0} MiB/s ({:.2}×); cat to /dev/null {read:.0} MiB/s ({:.2}×)",
        send / raw,
        send / read
    );
    vec![
        Row {
            key: "files",
            workload: format!("send_file {mib} MiB vs raw socket copy"),
            unit: "MiB/s",
            ours: send,
            baseline: Some(raw),
            paired: None,
            target: Target::None,
        },
        Row {
            key: "files",
            workload: format!("send_file {mib} MiB vs cat file > /dev/null"),
            unit: "MiB/s",
            ours: send,
            baseline: Some(read),
            paired: None,
            target: Target::None,
        },
    ]
}

/// The file sent, deleted at the end.
struct Source(PathBuf);

impl Source {
    fn new(size: u64) -> Source {
        let path =
            std::env::temp_dir().join(format!("pycos-net-bench-file-{}", std::process::id()));
        let mut out = File::create(&path).expect("create the file to send");
        let mut rng = fastrand::Rng::with_seed(7);
        let mut buf = vec![0_u8; 1 << 20];
        let mut left = size;
        while left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            rng.fill(&mut buf[..n]);
            out.write_all(&buf[..n]).expect("write the file to send");
            left -= n as u64;
        }
        Source(path)
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `send_file` to the server; its seconds. The file is deleted there
/// afterwards (not timed).
#[task]
fn send(node: Node, to: Location, path: PathBuf) -> f64 {
    let limit = Duration::from_secs(30);
    let start = Instant::now();
    let sent = node
        .send_file(to, &path, None, true, limit)
        .await
        .expect("send_file");
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(sent.bytes_sent(), sent.size(), "sent whole");
    let name = path.display().to_string();
    node.del_file(to, &name, None, limit)
        .await
        .expect("del_file");
    secs
}

/// The raw copy to the server's sink; its seconds.
#[task]
fn raw_copy(sink: SocketAddr, path: PathBuf) -> f64 {
    let start = Instant::now();
    let sock = AsyncSocket::create_connection(sink, Duration::from_secs(10), None)
        .await
        .expect("connect to the sink");
    sock.settimeout(None::<Duration>);
    let mut file = File::open(&path).expect("open the file");
    let size = file.metadata().expect("its size").len();
    sock.sendall(&size.to_be_bytes())
        .await
        .expect("send the length");
    // Plain reads from the page cache, as the sink's plain writes.
    let mut buf = vec![0_u8; PIECE];
    loop {
        let n = file.read(&mut buf).expect("read the file");
        if n == 0 {
            break;
        }
        sock.sendall(&buf[..n]).await.expect("send");
    }
    let mut back = [0_u8; 8];
    let mut got = 0;
    while got < 8 {
        let n = sock
            .recv_into(&mut back[got..])
            .await
            .expect("the sink's answer");
        assert!(n > 0, "the sink closed early");
        got += n;
    }
    assert_eq!(u64::from_be_bytes(back), size, "the sink got it all");
    start.elapsed().as_secs_f64()
}

/// `cat file > /dev/null`; its seconds.
fn cat(path: &Path) -> f64 {
    let start = Instant::now();
    let status = Command::new("sh")
        .args(["-c", "cat \"$0\" > /dev/null"])
        .arg(path)
        .status()
        .expect("run cat");
    assert!(status.success(), "cat failed");
    start.elapsed().as_secs_f64()
}
