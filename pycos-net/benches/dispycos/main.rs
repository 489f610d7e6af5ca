//! dispycos on loopback: a node with 2 server processes on 127.0.0.1,
//! its jobs measured beside Python dispycos (pycos 4.12.2) doing the same
//! in the same run.
//!
//! Run with `cargo bench -p pycos-net --bench dispycos`. This binary plays
//! three parts, chosen by the environment before `main`'s own work:
//!
//! - a **server** of the node: `#[pycos::main]` turns a process the node
//!   starts (this executable, shipped by the client) into a server;
//! - the **node** (`PYCOS_DISPYCOS_BENCH_NODE` holds its arguments): it
//!   runs [`pycos_net::dispycos::node_main`], started with
//!   [`pycos_net::dispycos::spawn_tied`] and killed by pid at the end;
//! - a **fresh client** (`PYCOS_DISPYCOS_BENCH_STARTUP`): schedules, runs
//!   one job and prints how long after its launch the result came back.
//!
//! The workloads, on one cluster (each `PYCOS_BENCH_ROUNDS` times, the
//! median kept):
//!
//! - trivial jobs end to end: `run` N times then collect (sequential),
//!   and all at once (N local tasks, each `run` then `finish`), N = 1000;
//! - one job's round trip (`run` then `finish`, one at a time): p50, p99;
//! - 10 ms sleeping I/O jobs (`io_run`), all at once: jobs/s;
//! - client start to first result (a fresh process, the node running);
//! - node-side peak RSS: `VmHWM` of the node process and its servers.
//!
//! Python's column comes from the anchors' `run_one.sh` (a fresh
//! `dispycosnode.py -c 2` and client per run), inside `unshare` with only
//! `lo` and the anchors' discovery guard; skipped with a message without
//! the venv. The ratio column is ours over Python's: above 1 is better
//! for rates, below 1 is better for times and memory.
//!
//! Environment:
//! - `PYCOS_BENCH_SCALE`: multiplies every job count (default 1).
//! - `PYCOS_BENCH_ROUNDS`: rounds per workload of ours (default 5).
//! - `PYCOS_BENCH_ONLY`: comma-separated keys (`seq,conc,latency,io,
//!   startup,python`); a positional argument does the same.
//! - `PYCOS_VENV`: the venv with pycos 4.12.2 (default `/work/pyvenv`).
//! - `PYCOS_ANCHORS`: the anchors folder (default `/work/shared/anchors`).

mod cluster;
mod jobs;
mod python;
mod startup;
#[path = "../net/table.rs"]
#[allow(dead_code, reason = "shared with the net bench, which uses all of it")]
mod table;

use std::error::Error;

use table::{Row, Target};

/// The boxed error every part of the benchmark returns.
type DynError = Box<dyn Error + Send + Sync>;

/// Server processes on the node, as in the Python anchor (`-c 2`).
const SERVERS: usize = 2;

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
        let rounds = env_parse("PYCOS_BENCH_ROUNDS").unwrap_or(5_usize).max(1);
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

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = cluster::serve_if_node() {
        std::process::exit(status);
    }
    if let Some(status) = startup::serve_if_startup() {
        std::process::exit(status);
    }
    // `cargo bench` passes `--bench`; any other word selects workloads.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let config = Config::from_env(filter);
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    // Other programs' load skews both columns: it is shown with them.
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("?");
    println!(
        "dispycos on loopback, {cpus} cores (load {load}), a node with {SERVERS} servers: scale {}, {} rounds, median",
        config.scale, config.rounds
    );
    let ours = measure_ours(&config)?;
    let python = if config.selected("python") {
        python::run(&config)
    } else {
        None
    };
    let rows = rows(&ours, python.as_ref());
    println!("{}", table::render(&rows));
    print_targets(&rows);
    Ok(())
}

/// Our figures: a node of our own, the fresh-client runs, then this
/// process's client for the job workloads.
fn measure_ours(config: &Config) -> Result<jobs::Figures, DynError> {
    let node = cluster::LocalNode::start(SERVERS)?;
    node.wait_listening()?;
    let startup = if config.selected("startup") {
        Some(startup::measure(&node, config.rounds)?)
    } else {
        None
    };
    let mut figures = jobs::run(&node, config)?;
    figures.startup_ms = startup;
    Ok(figures)
}

/// The DESIGN §5 dispycos targets, each with its verdict.
fn print_targets(rows: &[Row]) {
    let figure = |key| rows.iter().find(|row| row.key == key).map(|row| row.ours);
    let verdict = |met: bool| if met { "met" } else { "not met" };
    let best_trivial = ["seq", "conc", "conc-io"]
        .into_iter()
        .filter_map(figure)
        .reduce(f64::max);
    if let Some(k_per_s) = best_trivial {
        let lowest = ["seq", "conc"]
            .into_iter()
            .filter_map(figure)
            .reduce(f64::min);
        println!(
            "DESIGN §5 target: trivial jobs end to end >= 50k jobs/s: best {:.1}k jobs/s: {}{}",
            k_per_s,
            verdict(k_per_s >= 50.0),
            lowest.map_or(String::new(), |low| format!(
                " (CPU jobs with run: {:.1}k jobs/s: {})",
                low,
                verdict(low >= 50.0)
            )),
        );
    }
    if let Some(p50) = figure("p50") {
        println!(
            "DESIGN §5 target: one-job round trip p50 <= 100 µs: {p50:.0} µs: {}",
            verdict(p50 <= 100.0)
        );
    }
}

/// The table: our figure, Python's, the ratio, the DESIGN §5 target.
fn rows(ours: &jobs::Figures, py: Option<&python::Figures>) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut push = |key, workload: String, unit, value: Option<f64>, base, target| {
        if let Some(ours) = value {
            rows.push(Row {
                key,
                workload,
                unit,
                ours,
                baseline: base,
                paired: None,
                target,
            });
        }
    };
    let n = ours.jobs;
    let vs = |fig: Option<f64>| fig.map(|f| f / 1e3);
    let trivial = Target::Absolute(50.0);
    push(
        "seq",
        format!("trivial jobs, run loop then collect ({n}; Python rtask_seq)"),
        "k jobs/s",
        ours.seq_per_s.map(|f| f / 1e3),
        vs(py.and_then(|p| p.seq_per_s)),
        trivial,
    );
    push(
        "conc",
        format!("trivial jobs, all at once, run ({n}; Python rtask_conc)"),
        "k jobs/s",
        ours.conc_per_s.map(|f| f / 1e3),
        vs(py.and_then(|p| p.conc_per_s)),
        trivial,
    );
    push(
        "conc-io",
        format!("trivial jobs, all at once, io_run ({n}; Python io_conc)"),
        "k jobs/s",
        ours.conc_io_per_s.map(|f| f / 1e3),
        vs(py.and_then(|p| p.conc_io_per_s)),
        trivial,
    );
    let trips = ours.trips;
    push(
        "p50",
        format!("one job's round trip p50 ({trips} trips; Python lat_rtask)"),
        "µs",
        ours.p50_us,
        py.and_then(|p| p.p50_us),
        Target::AtMost(100.0),
    );
    push(
        "p99",
        format!("one job's round trip p99 ({trips} trips)"),
        "µs",
        ours.p99_us,
        py.and_then(|p| p.p99_us),
        Target::None,
    );
    push(
        "submit",
        format!("its run() part p50: a server assigned, the job created ({trips} trips)"),
        "µs",
        ours.submit_p50_us,
        py.and_then(|p| p.submit_p50_us),
        Target::None,
    );
    push(
        "io",
        format!("10 ms sleeping jobs, io_run all at once ({n}; Python io_conc sleep10)"),
        "k jobs/s",
        ours.sleep_per_s.map(|f| f / 1e3),
        vs(py.and_then(|p| p.sleep_per_s)),
        Target::None,
    );
    push(
        "startup",
        "client start to first result (node running)".to_owned(),
        "ms",
        ours.startup_ms,
        py.and_then(|p| p.startup_ms),
        Target::None,
    );
    push(
        "rss",
        format!("node-side peak RSS (node + {SERVERS} servers; Python + spawn)"),
        "MiB",
        ours.node_rss_mib,
        py.and_then(|p| p.node_rss_mib),
        Target::None,
    );
    rows
}
