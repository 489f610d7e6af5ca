//! Port of pycos' `dispycos_client3.py`: the client and its jobs exchange
//! objects by message passing. Each job gets a [`C`] and the task to
//! answer to, computes the square root of the object's number (after
//! sleeping that many seconds) and delivers the object back; a local
//! task prints the results as they come.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client3 -- [JOBS]                 # its own node, 2 servers
//! cargo run -p pycos-examples --bin dispycos_client3 -- [JOBS] --node IP:PORT  # a running dispycosnode
//! ```
//!
//! `JOBS` defaults to 10. The jobs' own lines (`process at … received`)
//! are printed by the server processes, so they show with the example's
//! own node (whose servers share its terminal), not with `--node`.

use std::fmt;
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dispycos_a::{DynError, run_jobs, uniform, where_is};
use pycos_net::dispycos::Client;
use serde::{Deserialize, Serialize};

/// The object the client and the servers exchange.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_client3::C")]
struct C {
    i: usize,
    n: f64,
}

impl fmt::Display for C {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.i, self.n)
    }
}

/// The job, run at a server: sleeps `obj.n` seconds, replaces the number
/// with its square root and delivers the object to `result_task`.
#[task(remote)]
fn compute(mut obj: C, result_task: Task, task: TaskCtx) -> Result<(), String> {
    println!(
        "process at {} received: {}",
        where_is(&task.handle()),
        obj.n
    );
    task.sleep(obj.n).await;
    obj.n = obj.n.sqrt();
    match result_task.deliver(obj).timeout(5.0).await {
        Some(Ok(())) => Ok(()),
        Some(Err(err)) => Err(format!("cannot deliver the result: {err}")),
        None => Err("the result was not delivered within 5 s".to_owned()),
    }
}

/// Receives the jobs' results, printing each as it comes.
#[task]
fn recv_results(njobs: usize, task: TaskCtx) {
    for i in 0..njobs {
        let msg = task.receive().await;
        match msg.downcast::<C>() {
            Ok(result) => println!("    result for job {i}: {result}"),
            Err(other) => println!("    ** not a result: {other:?}"),
        }
    }
}

/// Runs locally: submits the jobs, each with the task to answer to.
#[task]
fn client_proc(client: Client, njobs: usize) -> Result<(), DynError> {
    // A scheduler serves one client at a time: this waits for our turn.
    client.schedule().await?;
    // A task of its own receives the results, so each is printed as soon
    // as it arrives.
    let results_task = Task::new(recv_results(njobs));
    for i in 0..njobs {
        let cobj = C {
            i,
            n: uniform(5.0, 10.0),
        };
        println!("  request {i}: {}", cobj.n);
        if let Err(err) = client.run(compute(cobj, results_task.untyped())).await {
            println!("  ** job failed {i}: {err}");
        }
    }
    // `close` would wait for the jobs too; waiting for every result first
    // makes the order plain.
    results_task.finish().await?;
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
