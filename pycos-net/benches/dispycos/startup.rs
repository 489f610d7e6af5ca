//! Client start to first result: a fresh process (this executable again)
//! starts its node, schedules a client on the running bench node, runs
//! one job and prints how long after its launch the result came back, as
//! the anchor times a fresh `bench_client.py` from the shell's launch to
//! its first job's result.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pycos::prelude::*;
use pycos_net::dispycos::Client;
use pycos_net::{Location, Node};

use crate::cluster::{LocalNode, SECRET};
use crate::jobs::{CLOSE_PATIENCE, trivial};
use crate::{DynError, median};

/// Set in the fresh client's environment: the node's location.
const STARTUP_ROLE: &str = "PYCOS_DISPYCOS_BENCH_STARTUP";
/// Set beside it: when the parent launched it, in ns since the epoch.
const LAUNCHED_AT: &str = "PYCOS_DISPYCOS_BENCH_LAUNCHED_NS";
/// What the fresh client prints before its figure.
const FIGURE_PREFIX: &str = "first result after ms ";
/// The longest one fresh client may take.
const PATIENCE: Duration = Duration::from_secs(60);

/// Runs `rounds` fresh clients one after the other; gives the median
/// time from launch to first result, in ms.
pub(crate) fn measure(node: &LocalNode, rounds: usize) -> Result<f64, DynError> {
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        times.push(one_client(node.location())?);
    }
    Ok(median(times))
}

fn one_client(node: Location) -> Result<f64, DynError> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .env(STARTUP_ROLE, node.to_string())
        .env(LAUNCHED_AT, since_epoch_ns().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let mut child = pycos_net::dispycos::spawn_tied(&mut command)?;
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("a fresh client took over {PATIENCE:?}").into());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out)?;
    }
    if !status.success() {
        return Err(format!("a fresh client failed ({status}): {}", out.trim()).into());
    }
    out.lines()
        .find_map(|line| line.strip_prefix(FIGURE_PREFIX)?.trim().parse().ok())
        .ok_or_else(|| format!("a fresh client printed no figure: {out:?}").into())
}

fn since_epoch_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Plays the fresh client when the benchmark started it so; gives the
/// exit status. `None`: this is not a fresh client.
pub(crate) fn serve_if_startup() -> Option<i32> {
    let node = std::env::var(STARTUP_ROLE).ok()?;
    Some(match first_result(&node) {
        Ok(ms) => {
            println!("{FIGURE_PREFIX}{ms}");
            0
        }
        Err(why) => {
            println!("error: {why}");
            1
        }
    })
}

/// Starts the node, schedules, runs one job; gives the ms since launch
/// at its result.
fn first_result(node: &str) -> Result<f64, DynError> {
    let launched: u128 = std::env::var(LAUNCHED_AT)?.parse()?;
    let node: Location = node.parse()?;
    Node::builder()
        .host(std::net::Ipv4Addr::LOCALHOST.into())
        .tcp_port(0)
        .discover(false)
        .secret(SECRET)
        .start()?;
    let value = Pycos::instance()
        .spawn(schedule_and_run(node, launched))
        .value_timeout(PATIENCE)
        .map_err(|e| e.to_string())?;
    Ok(value)
}

/// The fresh client's part: schedule, one job, close; gives the ms since
/// launch at the job's result.
#[task]
fn schedule_and_run(node: Location, launched: u128) -> Result<f64, String> {
    let client = Client::builder()
        .peer(node)
        .build()
        .map_err(|e| e.to_string())?;
    client.schedule().await.map_err(|e| e.to_string())?;
    let job = client.run(trivial(7)).await.map_err(|e| e.to_string())?;
    let value = job.finish().await.map_err(|e| e.to_string())?;
    let at = since_epoch_ns().saturating_sub(launched) as f64 / 1e6;
    if value != 7 {
        return Err(format!("the first job gave {value}, not 7"));
    }
    client
        .close(false, false, Some(CLOSE_PATIENCE))
        .await
        .map_err(|e| e.to_string())?;
    Ok(at)
}
