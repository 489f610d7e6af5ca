//! One command, a whole dispycos cluster on this machine: starts a node
//! with 2 server processes on loopback (this same executable, run again
//! as `dispycosnode`), schedules a client, runs a few hundred jobs with a
//! progress line, prints a summary of the results and the figures (jobs
//! per second, round-trip p50), closes everything and exits.
//!
//! ```text
//! cargo run -p pycos-examples --bin cluster_demo -- [--jobs N] [--servers N] [--rounds N]
//! ```
//!
//! `--rounds N` submits the jobs all at once N times over (the
//! reliability test runs 50 rounds of 1000): every result must reach the
//! job that asked for it.

use std::error::Error;
use std::io::Write as _;
use std::time::{Duration, Instant};

use pycos::prelude::*;
use pycos_examples::cluster::{ClusterOptions, LocalNode, serve_if_node};
use pycos_net::dispycos::{Client, ClientBuilder, DispycosStatus, Status};

/// The job: runs in a server process; returns a value derived from its
/// argument, so the summary can check every result.
#[task(remote)]
fn square_plus_one(n: u64, _task: TaskCtx) -> u64 {
    n * n + 1
}

type DynError = Box<dyn Error + Send + Sync>;

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    let options = ClusterOptions::parse()?;
    let (jobs, rounds) = parse_args(options.rest())?;
    let cluster = options.start()?;
    let servers = cluster.own_node().map_or(1, LocalNode::servers);
    let result = Pycos::instance()
        .spawn(demo(cluster.client(), jobs, servers, rounds))
        .value();
    drop(cluster);
    result.map_err(|err| err.to_string())?;
    Ok(())
}

fn parse_args(args: &[String]) -> Result<(u64, u32), String> {
    let (mut jobs, mut rounds) = (300, 1);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--jobs" => jobs = value.parse().map_err(|e| format!("--jobs {value}: {e}"))?,
            "--rounds" => {
                rounds = value
                    .parse()
                    .map_err(|e| format!("--rounds {value}: {e}"))?
            }
            other => {
                return Err(format!(
                    "unknown option {other} (try --jobs N, --rounds N, --servers N, --node IP:PORT)"
                ));
            }
        }
    }
    Ok((jobs, rounds))
}

#[task]
fn demo(
    client: ClientBuilder,
    jobs: u64,
    servers: usize,
    rounds: u32,
    task: TaskCtx,
) -> Result<(), DynError> {
    let client = client.status_task(&task.handle()).build()?;
    client.schedule().await?;
    // Wait until every server is ready (the status messages say so).
    let mut ready = 0;
    while ready < servers {
        let msg = task
            .receive()
            .timeout(30.0)
            .await
            .ok_or("the servers did not start in 30 s")?;
        if let Some(status) = msg.downcast_ref::<DispycosStatus>() {
            println!(
                "  {:?} {:?}",
                status.status,
                status
                    .info
                    .server()
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            );
            if status.status == Status::ServerInitialized {
                ready += 1;
            }
        }
    }
    // All at once: one local task per job, `rounds` times over.
    let started = Instant::now();
    let mut wrong = 0;
    for round in 0..rounds {
        wrong += all_at_once(&client, jobs, round).await;
    }
    let elapsed = started.elapsed();
    let jobs = jobs * u64::from(rounds);
    // One at a time: the round trip of a single job.
    let mut trips = Vec::new();
    for n in 0..200u64 {
        let start = Instant::now();
        let value = client.run(square_plus_one(n)).await?.finish().await?;
        trips.push(start.elapsed());
        if value != n * n + 1 {
            wrong += 1;
        }
    }
    trips.sort();
    let p50 = trips[trips.len() / 2];
    client
        .close(false, false, Some(Duration::from_secs(30)))
        .await?;
    println!(
        "{jobs} jobs on {servers} servers: {} right, {wrong} wrong; {:.0} jobs/s; one job's round trip p50 {:.1} µs",
        jobs as usize - wrong.min(jobs as usize),
        jobs as f64 / elapsed.as_secs_f64(),
        p50.as_secs_f64() * 1e6
    );
    if wrong > 0 {
        return Err(format!("{wrong} jobs gave a wrong result").into());
    }
    Ok(())
}

#[task]
fn one_job(client: Client, n: u64) -> Result<u64, String> {
    let job = client
        .run(square_plus_one(n))
        .await
        .map_err(|e| e.to_string())?;
    job.finish().await.map_err(|e| e.to_string())
}

/// Submits `jobs` jobs at once and checks each result; gives how many
/// were wrong or failed.
async fn all_at_once(client: &Client, jobs: u64, round: u32) -> usize {
    let submitted: Vec<Task<u64>> = (0..jobs)
        .map(|n| Task::new(one_job(client.clone(), n)))
        .collect();
    let mut wrong = 0;
    for (n, job) in (0u64..).zip(&submitted) {
        match job.finish().await {
            Ok(value) if value == n * n + 1 => {}
            other => {
                wrong += 1;
                eprintln!("round {round} job {n}: {other:?}");
            }
        }
        if n % 50 == 49 || n + 1 == jobs {
            print!("\r  round {}: {} / {jobs} jobs done", round + 1, n + 1);
            let _ = std::io::stdout().flush();
        }
    }
    println!();
    wrong
}
