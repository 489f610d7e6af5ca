//! Port of pycos' `dispycos_client8.py`: a job that computes for a long
//! time without waiting for anything, while the client keeps sending it
//! requests. Each job first receives the task to answer to, then numbers
//! until [`EndOfRequests`]; for each number it "computes" (blocks a
//! thread) that many seconds, and at the end it sends the sum back.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client8 -- [JOBS]                 # its own node, 2 servers
//! cargo run -p pycos-examples --bin dispycos_client8 -- [JOBS] --node IP:PORT  # a running dispycosnode
//! ```
//!
//! `JOBS` defaults to 10. pycos blocks the task itself with `time.sleep`;
//! a Rust task must not block its scheduler's thread (`std::thread::sleep`
//! in a task is refused at compile time), so the job hands the blocking
//! call to an [`AsyncThreadPool`] thread: the requests that arrive
//! meanwhile are queued in its mailbox all the same.

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dispycos_a::{DynError, run_jobs, uniform, where_is};
use pycos_net::dispycos::Client;
use serde::{Deserialize, Serialize};

/// The last message of a job's requests (the Python sends `None`).
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_client8::EndOfRequests")]
struct EndOfRequests;

/// The job, run at a server: sums the numbers it receives, spending that
/// many seconds on each, and sends the sum to the task it received first.
///
/// The Python job gives no value; this one gives the sum as well.
#[task(remote)]
fn compute_task(task: TaskCtx) -> Result<f64, String> {
    // The first message is the task to reply to (`send_requests`).
    let reply_task = task
        .receive()
        .await
        .downcast::<Task>()
        .map_err(|other| format!("the first message is not a task: {other:?}"))?;
    let computer = AsyncThreadPool::new(1);
    let mut result = 0.0;
    loop {
        let msg = task.receive().await;
        if msg.is::<EndOfRequests>() {
            reply_task
                .send(result)
                .map_err(|err| format!("cannot send the result: {err}"))?;
            return Ok(result);
        }
        let n = *msg
            .downcast_ref::<f64>()
            .ok_or_else(|| format!("not a number: {msg:?}"))?;
        // A long computation that never yields, on a thread of its own:
        // meanwhile the client's next requests queue up in the mailbox.
        computer
            .async_task(move || std::thread::sleep(Duration::from_secs_f64(n)))
            .await
            .map_err(|err| err.to_string())?;
        result += n;
    }
}

/// Runs locally: sends one job its requests, a little apart, and prints
/// the sum it computed.
#[task]
fn send_requests(rtask: Task, task: TaskCtx) -> Result<(), DynError> {
    // First this task, so the job knows whom to answer.
    rtask.send(task.handle())?;
    for _ in 0..5 {
        // Queued at the job even while it computes.
        rtask.send(uniform(10.0, 20.0))?;
        // Input is assumed to come in a little apart.
        task.sleep(uniform(2.0, 5.0)).await;
    }
    rtask.send(EndOfRequests)?;
    let msg = task.receive().await;
    let result = msg
        .downcast_ref::<f64>()
        .ok_or_else(|| format!("not a result: {msg:?}"))?;
    println!("    {} computed result: {result:.4}", where_is(&rtask));
    Ok(())
}

/// Runs locally: starts the jobs, and a local task to feed each.
#[task]
fn client_proc(client: Client, njobs: usize) -> Result<(), DynError> {
    // A scheduler serves one client at a time: this waits for our turn.
    client.schedule().await?;
    let mut senders = Vec::new();
    for i in 0..njobs {
        match client.run(compute_task()).await {
            Ok(job) => {
                println!("  job {i} processed by {}", where_is(&job));
                senders.push(Task::new(send_requests(job.untyped())));
            }
            Err(err) => println!("  ** job {i} failed: {err}"),
        }
    }
    // Every sum printed before the client closes (pycos waits for the
    // local tasks at exit instead).
    for sender in &senders {
        if let Err(err) = sender.finish().await {
            println!("  ** a job's requests failed: {err}");
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
