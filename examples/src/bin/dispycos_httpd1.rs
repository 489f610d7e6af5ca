//! Port of pycos' `dispycos_httpd1.py`: a client with the web dashboard.
//! Each number typed runs a job that computes (sleeps) that many seconds
//! at a server; the dashboard shows the cluster, its servers and the jobs
//! running, and can suspend, resume and terminate them. `quit`, `exit`
//! or the end of input waits for the jobs and ends.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_httpd1                 # its own node, 2 servers
//! cargo run -p pycos-examples --bin dispycos_httpd1 -- --node IP:PORT --port 8181
//! ```
//!
//! Open the address it prints (`http://127.0.0.1:8181/cluster.html#token=…`):
//! the token in it is what lets the page act on the cluster.

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dashboard::{self, Job};
use pycos_examples::dispycos_a::DynError;
use pycos_net::dispycos::{Client, HttpServerBuilder};

/// The job, at a server: "computes" for `job.n` seconds.
#[task(remote)]
fn compute(job: Job, task: TaskCtx) {
    task.sleep(job.n).await;
}

/// Starts the dashboard, schedules the client, and runs a job for each
/// number received, until `None`.
#[task]
fn client_proc(
    client: Client,
    dashboard: HttpServerBuilder,
    task: TaskCtx,
) -> Result<(), DynError> {
    // Before `schedule`: the dashboard follows the cluster from its start.
    let httpd = dashboard.start(&client)?;
    client.schedule().await?;
    let mut i = 0;
    while let Ok(Some(cmd)) = task.receive().await.downcast::<Option<String>>() {
        i += 1;
        let Ok(n) = cmd.parse::<f64>() else {
            println!("  {cmd:?} is not a number");
            continue;
        };
        match client.io_run(compute(Job { i, n })).await {
            Ok(job) => println!("  job {i} ({n} s) started: {job}"),
            Err(err) => println!("  job {i} failed to start: {err}"),
        }
    }
    client
        .close(true, false, Some(Duration::from_secs(3600)))
        .await?;
    httpd.shutdown(false).await;
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    dashboard::run(
        "enter a number to run a job of that many seconds on one of the servers",
        None,
        client_proc,
    )
}
