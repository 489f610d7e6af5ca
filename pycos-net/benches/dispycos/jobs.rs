//! Our job workloads, run by this process's client on the bench's node.

use std::time::{Duration, Instant};

use pycos::prelude::*;
use pycos_net::Node;
use pycos_net::dispycos::{Client, DispycosStatus, Status};

use crate::cluster::{LocalNode, SECRET, peak_rss_mib};
use crate::{Config, DynError, SERVERS, median};

/// Jobs per throughput round, before scaling (the anchor's N).
const JOBS: usize = 1000;
/// Round trips for the latency percentiles, before scaling.
const TRIPS: usize = 1000;
/// The longest the whole client part may take.
const PATIENCE: Duration = Duration::from_secs(600);
/// The longest a client's close may take.
pub(crate) const CLOSE_PATIENCE: Duration = Duration::from_secs(30);

/// A trivial job: gives its argument back.
#[task(remote, name = "dispycos_bench::trivial")]
pub(crate) fn trivial(n: u64) -> u64 {
    n
}

/// An I/O job: sleeps 10 ms, then gives its argument back.
#[task(remote, name = "dispycos_bench::sleep10")]
fn sleep10(n: u64, task: TaskCtx) -> u64 {
    task.sleep(0.01).await;
    n
}

/// What our side measured (`None`: not selected).
#[derive(Debug, Default, Clone)]
pub(crate) struct Figures {
    pub(crate) jobs: usize,
    pub(crate) trips: usize,
    pub(crate) seq_per_s: Option<f64>,
    pub(crate) conc_per_s: Option<f64>,
    pub(crate) conc_io_per_s: Option<f64>,
    pub(crate) p50_us: Option<f64>,
    pub(crate) p99_us: Option<f64>,
    /// The `run` part (assigned a server and created there) of the trip.
    pub(crate) submit_p50_us: Option<f64>,
    pub(crate) sleep_per_s: Option<f64>,
    pub(crate) startup_ms: Option<f64>,
    pub(crate) node_rss_mib: Option<f64>,
}

/// Which workloads, how big, how many rounds (a copy for the task).
#[derive(Debug, Clone)]
struct Plan {
    jobs: usize,
    trips: usize,
    rounds: usize,
    seq: bool,
    conc: bool,
    latency: bool,
    io: bool,
}

/// Starts this process's node, schedules a client on `node` and runs the
/// selected workloads.
pub(crate) fn run(node: &LocalNode, config: &Config) -> Result<Figures, DynError> {
    Node::builder()
        .host(std::net::Ipv4Addr::LOCALHOST.into())
        .tcp_port(0)
        .discover(false)
        .secret(SECRET)
        .start()?;
    let plan = Plan {
        jobs: config.size(JOBS, 10),
        trips: config.size(TRIPS, 10),
        rounds: config.rounds,
        seq: config.selected("seq"),
        conc: config.selected("conc"),
        latency: config.selected("latency"),
        io: config.selected("io"),
    };
    Pycos::instance()
        .spawn(workloads(node.location(), node.pid(), plan))
        .value_timeout(PATIENCE)
        .map_err(|err| format!("the client part: {err}").into())
}

/// The client's whole part: schedule, wait for the servers, measure,
/// read the node's memory, close.
#[task]
fn workloads(
    node: pycos_net::Location,
    node_pid: u32,
    plan: Plan,
    task: TaskCtx,
) -> Result<Figures, String> {
    let client = Client::builder()
        .peer(node)
        .status_task(&task.handle())
        .build()
        .map_err(|e| e.to_string())?;
    client.schedule().await.map_err(|e| e.to_string())?;
    servers_ready(&task, SERVERS).await?;
    let mut figures = measure(&client, &plan).await.map_err(|e| e.to_string())?;
    // The servers live as long as the client: their memory is read first.
    figures.node_rss_mib = Some(peak_rss_mib(node_pid).map_err(|e| e.to_string())?);
    client
        .close(false, false, Some(CLOSE_PATIENCE))
        .await
        .map_err(|e| e.to_string())?;
    Ok(figures)
}

/// Runs the selected workloads `plan.rounds` times each and keeps each
/// one's median; the client stays scheduled for the memory reading.
async fn measure(client: &Client, plan: &Plan) -> Result<Figures, DynError> {
    let mut figures = Figures {
        jobs: plan.jobs,
        trips: plan.trips * plan.rounds,
        ..Figures::default()
    };
    // One warm-up job, as the anchor runs its `stamp` job first.
    client.run(trivial(0)).await?.finish().await?;
    let rounds = plan.rounds;
    if plan.seq {
        figures.seq_per_s = Some(rounds_median(rounds, || sequential(client, plan.jobs)).await?);
    }
    if plan.conc {
        figures.conc_per_s =
            Some(rounds_median(rounds, || all_at_once(client, plan.jobs, true)).await?);
        figures.conc_io_per_s =
            Some(rounds_median(rounds, || all_at_once(client, plan.jobs, false)).await?);
    }
    if plan.latency {
        // Percentiles want many trips in one sample more than rounds.
        let trips = latency(client, figures.trips).await?;
        figures.p50_us = Some(trips.p50_us);
        figures.p99_us = Some(trips.p99_us);
        figures.submit_p50_us = Some(trips.submit_p50_us);
    }
    if plan.io {
        figures.sleep_per_s = Some(rounds_median(rounds, || sleeping(client, plan.jobs)).await?);
    }
    Ok(figures)
}

/// Runs `round` `rounds` times; gives the median of its figures.
async fn rounds_median<F, Fut>(rounds: usize, mut round: F) -> Result<f64, DynError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<f64, DynError>>,
{
    let mut figures = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        figures.push(round().await?);
    }
    Ok(median(figures))
}

/// Waits for `count` `ServerInitialized` statuses.
async fn servers_ready(task: &TaskCtx, count: usize) -> Result<(), String> {
    let mut ready = 0;
    while ready < count {
        let msg = task
            .receive()
            .timeout(30.0)
            .await
            .ok_or("the servers were not initialized in 30 s")?;
        if msg
            .downcast_ref::<DispycosStatus>()
            .is_some_and(|s| s.status == Status::ServerInitialized)
        {
            ready += 1;
        }
    }
    Ok(())
}

/// `run` then `finish` for each of `jobs`, as the anchor's `rtask_seq`:
/// all submitted in a loop (each submission waits for a free server),
/// then all collected. Jobs a second.
async fn sequential(client: &Client, jobs: usize) -> Result<f64, DynError> {
    let started = Instant::now();
    let mut submitted = Vec::with_capacity(jobs);
    for n in 0..jobs as u64 {
        submitted.push(client.run(trivial(n)).await?);
    }
    for (n, job) in (0u64..).zip(&submitted) {
        check(n, job.finish().await?)?;
    }
    Ok(jobs as f64 / started.elapsed().as_secs_f64())
}

/// `jobs` local tasks started at once, each submitting one trivial job
/// (`run` when `cpu`, else `io_run`) and waiting for it. Jobs a second.
async fn all_at_once(client: &Client, jobs: usize, cpu: bool) -> Result<f64, DynError> {
    let started = Instant::now();
    let tasks: Vec<Task<u64>> = (0..jobs as u64)
        .map(|n| Task::new(one_job(client.clone(), n, cpu)))
        .collect();
    for (n, task) in (0u64..).zip(&tasks) {
        check(n, task.finish().await?)?;
    }
    Ok(jobs as f64 / started.elapsed().as_secs_f64())
}

/// One job of [`all_at_once`], from submission to result.
#[task]
fn one_job(client: Client, n: u64, cpu: bool) -> Result<u64, String> {
    let job = if cpu {
        client.run(trivial(n)).await
    } else {
        client.io_run(trivial(n)).await
    };
    let job = job.map_err(|e| e.to_string())?;
    job.finish().await.map_err(|e| e.to_string())
}

/// The round trips' percentiles, in µs.
#[derive(Debug)]
struct Trips {
    p50_us: f64,
    p99_us: f64,
    submit_p50_us: f64,
}

/// `trips` single-job round trips, one after the other (the anchor's
/// `lat_rtask`), timing the whole trip and its `run` part.
async fn latency(client: &Client, trips: usize) -> Result<Trips, DynError> {
    let mut times = Vec::with_capacity(trips);
    let mut submits = Vec::with_capacity(trips);
    for n in 0..trips as u64 {
        let start = Instant::now();
        let job = client.run(trivial(n)).await?;
        submits.push(start.elapsed().as_secs_f64() * 1e6);
        let value = job.finish().await?;
        times.push(start.elapsed().as_secs_f64() * 1e6);
        check(n, value)?;
    }
    Ok(Trips {
        p50_us: percentile(&mut times, 0.50),
        p99_us: percentile(&mut times, 0.99),
        submit_p50_us: percentile(&mut submits, 0.50),
    })
}

/// The `p` quantile of `values` (nearest rank, as the anchor takes it).
fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

/// `jobs` 10 ms sleeping I/O jobs, all submitted at once (the anchor's
/// `io_conc sleep10`). Jobs a second.
async fn sleeping(client: &Client, jobs: usize) -> Result<f64, DynError> {
    let started = Instant::now();
    let tasks: Vec<Task<u64>> = (0..jobs as u64)
        .map(|n| Task::new(one_sleep(client.clone(), n)))
        .collect();
    for (n, task) in (0u64..).zip(&tasks) {
        check(n, task.finish().await?)?;
    }
    Ok(jobs as f64 / started.elapsed().as_secs_f64())
}

/// One job of [`sleeping`], from submission to result.
#[task]
fn one_sleep(client: Client, n: u64) -> Result<u64, String> {
    let job = client.io_run(sleep10(n)).await.map_err(|e| e.to_string())?;
    job.finish().await.map_err(|e| e.to_string())
}

/// Every result must be the job's own: a figure from wrong results would
/// be worthless.
fn check(n: u64, value: u64) -> Result<(), DynError> {
    if value == n {
        Ok(())
    } else {
        Err(format!("job {n} gave {value}").into())
    }
}
