//! pycos-net on loopback: remote tasks beside a raw `AsyncSocket` echo
//! between the same two processes, and beside Python netpycos.
//!
//! Run with `cargo bench -p pycos-net`. This binary re-runs itself as the
//! server (`PYCOS_NET_BENCH_ROLE=server`): a node on 127.0.0.1 (port 0)
//! with a task registered as `bench_server`, and a raw echo listener. The
//! child prints both addresses; this process starts its own node, links
//! to the child's, and measures, alternating the workloads for a few
//! rounds and keeping the medians:
//!
//! - remote round trip: a task sends `Ping(its own Task, i)` to the remote
//!   task, which sends `i` back; beside it a raw echo of 8 bytes over
//!   `AsyncSocket` (`TCP_NODELAY`), the same number of trips (target
//!   ≥ 0.8× raw, DESIGN §5);
//! - remote one-way: a task sends `Burst { from, n }` then `n` `u64`s; the
//!   remote task counts them and answers once (target ≥ 1M messages/s);
//! - files: `send_file` of a 256 MiB file to the child, beside
//!   `cat file > /dev/null` (reading it) and a raw copy of it over one
//!   `AsyncSocket` connection between the same two processes (the
//!   ratios are printed; no target);
//! - RPS: `Rps::call` of a remote task function and `finish` of the task
//!   it made, call by call (p50 and p99), beside one remote round trip;
//! - Python netpycos (pycos 4.12.2) doing the same two with the anchors'
//!   `py_net_server.py` / `py_net_client.py`, inside `unshare -n`; skipped
//!   when pycos is not installed.
//!
//! The child is killed by pid when the run ends, pass or fail.
//!
//! Environment (for quick runs):
//! - `PYCOS_BENCH_SCALE`: multiplies every count (default 1).
//! - `PYCOS_BENCH_ROUNDS`: rounds per workload (default 7).
//! - `PYCOS_BENCH_ONLY`: comma-separated keys (`roundtrip,oneway,files,rps,python`;
//!   `remote` or `raw` runs one half of `roundtrip`, for profiling); a
//!   positional argument does the same.
//! - `PYCOS_BENCH_PIN`: `0` leaves both processes unpinned (by default,
//!   with two CPUs or more, this process runs on CPU 0 and the server on
//!   CPU 1, so the kernel never puts both on one CPU mid-run).
//! - `PYCOS_VENV`: a virtual environment with pycos 4.12.2 installed
//!   (else `python3` is used if it can import `pycos.netpycos`).
//! - `PYCOS_ANCHORS`: the anchors folder (default `/work/shared/anchors`).

mod client;
mod files;
mod python;
mod rps;
mod server;
mod table;

use pycos::Task;
use serde::{Deserialize, Serialize};

/// The environment variable that makes this binary the server.
const ROLE: &str = "PYCOS_NET_BENCH_ROLE";

/// The shared secret of both nodes.
const SECRET: &str = "pycos-net bench";

/// The name the server task registers.
const SERVER_TASK: &str = "bench_server";

/// A round trip: the server sends `.1` back to `.0`.
#[derive(Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "bench::Ping")]
struct Ping(Task, u64);

/// Announces a one-way burst: `n` `u64`s follow; the server sends `n`
/// back to `from` once it has counted them all.
#[derive(Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "bench::Burst")]
struct Burst {
    from: Task,
    n: u64,
}

/// What the RPS rows call: gives its argument back.
#[pycos::task(remote, name = "bench::echo")]
fn bench_echo(n: u64) -> u64 {
    n
}

/// Sizes, rounds and the selection, from the environment.
#[derive(Debug)]
struct Config {
    scale: f64,
    rounds: usize,
    only: Vec<String>,
}

impl Config {
    fn from_env(filter: Vec<String>) -> Config {
        let scale = env_parse("PYCOS_BENCH_SCALE").unwrap_or(1.0_f64).max(1e-6);
        let rounds = env_parse("PYCOS_BENCH_ROUNDS").unwrap_or(7_usize).max(1);
        let mut only: Vec<String> = std::env::var("PYCOS_BENCH_ONLY")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        only.extend(filter);
        Config {
            scale,
            rounds,
            only,
        }
    }

    fn selected(&self, key: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|k| k == key)
    }

    /// `base` scaled by `PYCOS_BENCH_SCALE`, at least `min`.
    fn size(&self, base: usize, min: usize) -> usize {
        ((base as f64 * self.scale) as usize).max(min)
    }
}

fn env_parse<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.parse().ok()
}

/// Pins this process (every thread it starts from now on) to `cpu`, when
/// pinning is on and the machine has more than one CPU. Gives the CPUs it
/// could run on before, to [`unpin`].
fn pin_to(cpu: usize) -> Option<rustix::thread::CpuSet> {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cpus < 2 || std::env::var_os("PYCOS_BENCH_PIN").is_some_and(|v| v == "0") {
        return None;
    }
    let before = rustix::thread::sched_getaffinity(None).ok()?;
    let mut set = rustix::thread::CpuSet::new();
    set.set(cpu);
    match rustix::thread::sched_setaffinity(None, &set) {
        Ok(()) => Some(before),
        Err(err) => {
            eprintln!("not pinned to CPU {cpu}: {err}");
            None
        }
    }
}

/// Lets this process (and what it starts) run on the CPUs of `before`.
fn unpin(before: Option<&rustix::thread::CpuSet>) {
    if let Some(set) = before
        && let Err(err) = rustix::thread::sched_setaffinity(None, set)
    {
        eprintln!("still pinned: {err}");
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN figures"));
    values[values.len() / 2]
}

fn main() {
    if std::env::var_os(ROLE).is_some_and(|role| role == "server") {
        pin_to(1);
        server::main();
        return;
    }
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let pinned = pin_to(0);
    // `cargo bench` passes `--bench`; any other word selects workloads.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let config = Config::from_env(filter);
    println!(
        "pycos-net on loopback, {} cores: scale {}, {} rounds, median",
        cpus, config.scale, config.rounds
    );
    let mut rows = Vec::new();
    if ["roundtrip", "remote", "raw", "oneway"]
        .iter()
        .any(|key| config.selected(key))
    {
        rows.extend(client::run(&config));
    }
    if config.selected("files") {
        rows.extend(files::run(&config));
    }
    if config.selected("rps") {
        // The round-trip row is in thousands of trips a second.
        let trip = rows
            .iter()
            .find(|row| row.key == "roundtrip")
            .map(|row| 1.0 / (row.ours * 1e3));
        rows.extend(rps::run(&config, trip));
    }
    if config.selected("python") {
        // Python's two processes get every CPU, as unpinned programs do.
        unpin(pinned.as_ref());
        let ours = |key: &str| rows.iter().find(|row: &&table::Row| row.key == key);
        let ours_rt = ours("roundtrip").map(|row| row.ours);
        let ours_oneway = ours("oneway").map(|row| row.ours);
        rows.extend(python::run(&config, ours_rt, ours_oneway));
    }
    println!("{}", table::render(&rows));
}
