//! Port of pycos' `dispycos_client7.py`: like `dispycos_client1`, but
//! the client places each job itself, at a given server
//! ([`Client::run_at`]), driven by the scheduler's status messages: a
//! job at each server as it is initialised, and the next job at the
//! server whose job just ended (a template for a scheduler of one's own).
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client7 -- [JOBS]                 # its own node, 2 servers
//! cargo run -p pycos-examples --bin dispycos_client7 -- [JOBS] --node IP:PORT  # a running dispycosnode
//! ```
//!
//! `JOBS` defaults to 10.

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dispycos_a::{DynError, run_jobs, uniform, where_is};
use pycos_net::dispycos::{Client, DispycosStatus, Status};
use pycos_net::{Located, Location};

/// The job, run at a server: sleeps `n` seconds and gives `n`.
#[task(remote)]
fn rtask_proc(n: f64, task: TaskCtx) -> f64 {
    task.sleep(n).await;
    n
}

/// Starts a job at `server`; gives whether it started.
async fn start_job_at(client: &Client, server: Location) -> bool {
    let n = uniform(5.0, 10.0);
    match client.run_at(server, rtask_proc(n)).await {
        Ok(job) => {
            println!("  rtask_proc started at {} with {n}", where_is(&job));
            true
        }
        Err(err) => {
            println!("  ** rtask_proc not started at {server}: {err}");
            false
        }
    }
}

/// Prints how a job ended: its value, or how it failed.
fn print_end(ended: &MonitorStatus) {
    let at = where_is(&ended.task);
    match ended
        .result
        .as_ref()
        .map(|value| value.downcast_ref::<f64>())
    {
        Ok(Some(n)) => println!("      rtask_proc at {at} finished with {n}"),
        Ok(None) => println!("      ** rtask_proc at {at} gave no number"),
        Err(err) => println!("      ** rtask_proc at {at} failed: {err}"),
    }
}

/// Runs locally, as the client's status task: starts the jobs as the
/// status messages say servers are free.
#[task]
fn client_proc(client: Client, mut njobs: usize, task: TaskCtx) -> Result<(), DynError> {
    // Receives the scheduler's status messages from now on.
    client.set_status_task(&task.handle());
    // A scheduler serves one client at a time: this waits for our turn.
    client.schedule().await?;
    let mut npending = njobs;
    // At most one job at a time at a server here; `io_run_at` would run
    // any number at once.
    while npending > 0 {
        let msg = task.receive().await;
        if let Some(status) = msg.downcast_ref::<DispycosStatus>() {
            if let (Status::ServerInitialized, Some(server)) = (status.status, status.info.server())
                && njobs > 0
                && start_job_at(&client, server).await
            {
                njobs -= 1;
            }
        } else if let Some(ended) = msg.downcast_ref::<MonitorStatus>() {
            print_end(ended);
            let at = ended.task.location();
            npending -= 1;
            if let Some(server) = at
                && npending > 0
                && njobs > 0
                && start_job_at(&client, server).await
            {
                njobs -= 1;
            }
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
