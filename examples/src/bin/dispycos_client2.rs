//! Port of pycos' `dispycos_client2.py`: the client submits CPU-bound
//! jobs (at most one at a time per server) and then collects their
//! results: each job gives its number, the server it ran at and the time
//! it ended there.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client2 -- [JOBS]                 # its own node, 2 servers
//! cargo run -p pycos-examples --bin dispycos_client2 -- [JOBS] --node IP:PORT  # a running dispycosnode
//! ```
//!
//! `JOBS` defaults to 10.

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dispycos_a::{DynError, asctime, run_jobs, uniform};
use pycos_net::dispycos::Client;
use pycos_net::{Located, Location};
use serde::{Deserialize, Serialize};

/// A job's result (the Python's tuple `(i, task.location, time.asctime())`).
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_client2::JobResult")]
struct JobResult {
    /// The job's number.
    i: usize,
    /// The server that ran it.
    location: Option<Location>,
    /// When it ended there.
    time: String,
}

/// The job, run at a server: sleeps `n` seconds (the computation), then
/// tells who it was, where it ran and when it ended.
#[task(remote)]
fn compute(i: usize, n: f64, task: TaskCtx) -> JobResult {
    task.sleep(n).await;
    JobResult {
        i,
        location: task.handle().location(),
        time: asctime(),
    }
}

/// Runs locally: submits the jobs, then waits for each one's result.
#[task]
fn client_proc(client: Client, njobs: usize) -> Result<(), DynError> {
    // A scheduler serves one client at a time: this waits for our turn.
    client.schedule().await?;
    let mut jobs = Vec::new();
    for i in 0..njobs {
        match client.run(compute(i, uniform(2.0, 5.0))).await {
            Ok(job) => jobs.push(job),
            Err(err) => println!("  ** job failed for {i}: {err}"),
        }
    }
    for job in &jobs {
        match job.finish().await {
            Ok(JobResult { i, location, time }) => {
                let at = location.map_or_else(|| "?".to_owned(), |at| at.to_string());
                println!("    result for {i} from {at}: {time}");
            }
            Err(err) => println!("    ** job {job} failed: {err}"),
        }
    }
    client
        .close(false, false, Some(Duration::from_secs(60)))
        .await?;
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    run_jobs(10, client_proc)
}
