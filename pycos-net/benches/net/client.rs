//! This process's side: the server child, our node, and the workloads.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use pycos::prelude::*;
use pycos::{AsyncSocket, Pycos};
use pycos_net::Location;

use crate::table::{Row, Target};
use crate::{Burst, Config, Ping, ROLE, SECRET, SERVER_TASK, median};

/// Round trips per round (remote and raw alike).
const TRIPS: usize = 20_000;
/// One-way messages per round.
const MESSAGES: usize = 1_000_000;
/// The one-way sender gives way to the link's writer after this many
/// sends (a sender that never yields would queue the whole burst first).
const YIELD_EVERY: u64 = 1024;
/// Bytes per raw echo.
const ECHO_SIZE: usize = 8;
/// How long the server child may take to print its addresses.
const START_LIMIT: Duration = Duration::from_secs(30);

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let server = Server::start();
    // The whole run is bounded: a stuck link ends the benchmark with a
    // message instead of hanging it (the child is killed first).
    let trips = config.size(TRIPS, 10);
    let messages = config.size(MESSAGES, 10);
    let budget = Duration::from_secs(120)
        + Duration::from_secs_f64(
            config.rounds as f64 * (trips as f64 * 200e-6 + messages as f64 * 5e-6),
        );
    let _watchdog = server.watchdog(budget);

    let node = client_node();
    let sched = node.scheduler().clone();
    let remote = sched
        .spawn(link(node.clone(), server.node))
        .value()
        .expect("linked to the server");

    // `roundtrip` is both of `remote` and `raw` (the ratio needs both).
    let (rt, raw, oneway) = (
        config.selected("roundtrip") || config.selected("remote"),
        config.selected("roundtrip") || config.selected("raw"),
        config.selected("oneway"),
    );
    let (mut remote_secs, mut raw_secs, mut oneway_secs) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..config.rounds {
        eprintln!("round {} of {} ...", round + 1, config.rounds);
        let mut remote_once = || {
            if rt {
                remote_secs.push(once(&sched, remote_trips(remote.clone(), trips)));
            }
        };
        let mut raw_once = || {
            if raw {
                raw_secs.push(once(&sched, raw_trips(server.echo, trips)));
            }
        };
        if round % 2 == 0 {
            remote_once();
            raw_once();
        } else {
            raw_once();
            remote_once();
        }
        if oneway {
            oneway_secs.push(once(&sched, one_way(remote.clone(), messages)));
        }
        let last = |secs: &[f64], n: usize| secs.last().map_or(0.0, |s| n as f64 / s);
        eprintln!(
            "  remote {:.0} trips/s, raw {:.0} trips/s, one-way {:.0} msgs/s",
            last(&remote_secs, trips),
            last(&raw_secs, trips),
            last(&oneway_secs, messages),
        );
    }

    let mut rows = Vec::new();
    if rt != raw {
        let (what, secs) = if rt {
            ("remote round trip", &remote_secs)
        } else {
            ("raw AsyncSocket echo", &raw_secs)
        };
        let secs = median(secs.clone());
        println!(
            "{what}: {:.1}k trips/s ({:.1} µs a trip)",
            trips as f64 / secs / 1e3,
            secs / trips as f64 * 1e6
        );
    }
    if rt && raw {
        // Each round's pair ran back to back, under the same load: the
        // ratio is the median of the rounds' ratios.
        let paired = remote_secs
            .iter()
            .zip(&raw_secs)
            .map(|(r, w)| w / r)
            .collect();
        let ratio = median(paired);
        let (remote, raw) = (median(remote_secs), median(raw_secs));
        let per = |secs: f64| trips as f64 / secs / 1e3;
        println!(
            "remote round trip: {:.1}k trips/s ({:.1} µs a trip); raw AsyncSocket echo: {:.1}k trips/s ({:.1} µs a trip)",
            per(remote),
            remote / trips as f64 * 1e6,
            per(raw),
            raw / trips as f64 * 1e6,
        );
        rows.push(Row {
            key: "roundtrip",
            workload: format!("remote round trip vs raw {ECHO_SIZE}-byte echo ({trips} trips)"),
            unit: "k trips/s",
            ours: per(remote),
            baseline: Some(per(raw)),
            paired: Some(ratio),
            target: Target::AtLeast(0.8),
        });
    }
    if oneway {
        let secs = median(oneway_secs);
        println!(
            "remote one-way: {:.2}M msgs/s ({:.0} ns a message)",
            messages as f64 / secs / 1e6,
            secs / messages as f64 * 1e9
        );
        rows.push(Row {
            key: "oneway",
            workload: format!("remote one-way u64 messages ({messages} a round)"),
            unit: "M msgs/s",
            ours: messages as f64 / secs / 1e6,
            baseline: None,
            paired: None,
            target: Target::Absolute(1.0),
        });
    }
    drop(server);
    rows
}

/// This process's node: the one started already, or a new one.
pub(crate) fn client_node() -> pycos_net::Node {
    pycos_net::Node::current().unwrap_or_else(|| {
        pycos_net::Node::builder()
            .name("bench-client")
            .host("127.0.0.1".parse().expect("address"))
            .tcp_port(0)
            .discover(false)
            .secret(SECRET)
            .msg_timeout(Duration::from_secs(30))
            .start()
            .expect("the client node starts")
    })
}

/// Runs one workload task to its end; gives its figure.
pub(crate) fn once(sched: &Pycos, spec: TaskSpec<f64>) -> f64 {
    sched.spawn(spec).value().expect("the workload task")
}

#[task]
pub(crate) fn link(node: pycos_net::Node, at: Location) -> Task {
    node.peer(at).await.expect("the server node links");
    node.locate_task(SERVER_TASK, Some(at), Duration::from_secs(10))
        .await
        .expect("the server task is found")
}

#[task]
fn remote_trips(server: Task, n: usize, task: TaskCtx) -> f64 {
    let me = task.handle();
    let start = Instant::now();
    for i in 0..n as u64 {
        server.send(Ping(me.clone(), i)).expect("send");
        let back = task.receive().await;
        assert_eq!(
            back.downcast_ref::<u64>(),
            Some(&i),
            "the answer to trip {i}"
        );
    }
    start.elapsed().as_secs_f64()
}

#[task]
fn raw_trips(at: SocketAddr, n: usize) -> f64 {
    let sock = AsyncSocket::create_connection(at, Duration::from_secs(10), None)
        .await
        .expect("connect to the echo");
    // The limit was for connecting: the trips run without one (as tokio's
    // and the echo benchmark of pycos do).
    sock.settimeout(None::<Duration>);
    sock.set_nodelay(true).expect("nodelay");
    let out = [7_u8; ECHO_SIZE];
    let mut back = [0_u8; ECHO_SIZE];
    let start = Instant::now();
    for _ in 0..n {
        sock.sendall(&out).await.expect("send");
        let mut got = 0;
        while got < ECHO_SIZE {
            let n = sock.recv_into(&mut back[got..]).await.expect("recv");
            assert!(n > 0, "the echo closed early");
            got += n;
        }
    }
    start.elapsed().as_secs_f64()
}

#[task]
fn one_way(server: Task, n: usize, task: TaskCtx) -> f64 {
    let n = n as u64;
    let start = Instant::now();
    server
        .send(Burst {
            from: task.handle(),
            n,
        })
        .expect("send");
    for i in 0..n {
        server.send(i).expect("send");
        if i % YIELD_EVERY == YIELD_EVERY - 1 {
            task.yield_now().await;
        }
    }
    let back = task.receive().await;
    assert_eq!(
        back.downcast_ref::<u64>(),
        Some(&n),
        "the count of the burst"
    );
    start.elapsed().as_secs_f64()
}

/// The server child: killed by pid when dropped (pass or fail).
pub(crate) struct Server {
    child: Arc<Mutex<Child>>,
    pub(crate) node: Location,
    echo: SocketAddr,
    /// The raw file sink, and the folder it and the node write files to.
    pub(crate) sink: SocketAddr,
    pub(crate) dest: std::path::PathBuf,
}

impl Server {
    pub(crate) fn start() -> Server {
        let exe = std::env::current_exe().expect("this benchmark's path");
        let mut child = Command::new(exe)
            .env(ROLE, "server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server child starts");
        let stdout = child.stdout.take().expect("piped");
        let server = Arc::new(Mutex::new(child));
        let guard = KillOnDrop(server.clone());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(START_LIMIT)
            .unwrap_or_else(|_| panic!("the server child printed nothing in {START_LIMIT:?}"));
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|word| word.strip_prefix(name))
                .unwrap_or_else(|| panic!("no {name} in the server's line {line:?}"))
                .to_owned()
        };
        let node = field("node=").parse().expect("the server's node location");
        let echo = field("echo=").parse().expect("the server's echo address");
        let sink = field("sink=").parse().expect("the server's sink address");
        let dest = field("dest=").into();
        std::mem::forget(guard); // `Server` itself kills it from now on
        Server {
            child: server,
            node,
            echo,
            sink,
            dest,
        }
    }

    /// Kills the child and ends this process if the run takes longer than
    /// `limit`. Dropping the returned sender disarms it.
    pub(crate) fn watchdog(&self, limit: Duration) -> mpsc::Sender<()> {
        let (tx, rx) = mpsc::channel::<()>();
        let child = self.child.clone();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(limit) {
                kill(&child);
                eprintln!("benchmark stuck for {limit:?}: server killed, giving up");
                std::process::exit(2);
            }
        });
        tx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        kill(&self.child);
        let _ = std::fs::remove_dir_all(&self.dest);
    }
}

/// Kills the child on drop while `Server::start` is still reading it.
struct KillOnDrop(Arc<Mutex<Child>>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        kill(&self.0);
    }
}

fn kill(child: &Mutex<Child>) {
    let mut child = child.lock().unwrap_or_else(|p| p.into_inner());
    let _ = child.kill();
    let _ = child.wait();
}
