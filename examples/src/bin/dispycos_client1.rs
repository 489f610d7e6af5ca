//! Port of pycos' `dispycos_client1.py`: the client sends a computation
//! to the cluster's server processes as jobs. A job is CPU-bound, so a
//! server runs at most one at a time ([`Client::run`]; an idle one would
//! use [`Client::io_run`]). The client prints where each job runs, then
//! closes, which waits for every job to end.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client1 -- [JOBS]                 # its own node, 2 servers
//! cargo run -p pycos-examples --bin dispycos_client1 -- [JOBS] --node IP:PORT  # a running dispycosnode
//! ```
//!
//! `JOBS` defaults to 10. The Python also starts the web dashboard; here
//! that is `dispycos_httpd1`, whose jobs last long enough to watch.

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dispycos_a::{DynError, run_jobs, uniform, where_is};
use pycos_net::dispycos::Client;

/// The job, run at a server: computing is simulated by sleeping `n`
/// seconds.
#[task(remote)]
fn compute(n: f64, task: TaskCtx) {
    task.sleep(n).await;
}

/// Runs locally: schedules the client and submits its jobs.
#[task]
fn client_proc(client: Client, njobs: usize) -> Result<(), DynError> {
    // A scheduler serves one client at a time: this waits for our turn.
    client.schedule().await?;
    for i in 0..njobs {
        match client.run(compute(uniform(5.0, 10.0))).await {
            Ok(job) => println!("  job {i} processed by {}", where_is(&job)),
            Err(err) => println!("  ** job {i} failed: {err}"),
        }
    }
    // Waits for every job to be done.
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
