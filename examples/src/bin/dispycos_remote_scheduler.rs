//! Port of pycos' `dispycos_remote_scheduler.py`: the client schedules
//! with a standalone scheduler (the `dispycos` program) in another
//! process instead of one of its own, and decides itself how many CPUs of
//! each node to use (its `allocate`, which the remote scheduler asks it).
//! Each number read from stdin becomes a job that sleeps that many
//! seconds and replies to the client's `reply_proc`; `quit` (or the end
//! of input) closes the client.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_remote_scheduler
//! cargo run -p pycos-examples --bin dispycos_remote_scheduler -- --scheduler IP:PORT --secret S
//! ```
//!
//! Without `--scheduler` the example starts its own node on loopback and
//! a `dispycos` scheduler process for it (this same executable, run again
//! as the scheduler). The allocation uses every CPU but one, as the
//! Python's does, so a 2-server node runs 1 server for this client.

use std::io::BufRead as _;

use pycos::prelude::*;
use pycos_examples::cluster::{ClusterOptions, serve_if_node};
use pycos_examples::dispycos_a::{DynError, asctime};
use pycos_net::dispycos::Client;
use pycos_net::{Located, Location};

/// The job: sleeps `n` seconds, then tells `reply` its number, where it
/// ran and when.
#[task(remote)]
fn compute(i: u64, n: f64, reply: Task, task: TaskCtx) -> i32 {
    task.sleep(n).await;
    let at = task
        .handle()
        .location()
        .map(|l| l.to_string())
        .unwrap_or_default();
    let _ = reply.send(format!("{i} {at} {}", asctime()));
    0
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    let options = ClusterOptions::parse()?;
    let scheduler = parse_args(options.rest())?;
    let cluster = options.start()?;
    let own_scheduler = match scheduler {
        Some(_) => None,
        None => Some(cluster.start_scheduler()?),
    };
    let at = scheduler.unwrap_or_else(|| {
        own_scheduler
            .as_ref()
            .map(|s| s.location())
            .expect("started")
    });
    let client = cluster
        .client()
        .pulse_interval(10.0)
        .zombie_period(51.0)
        .allocate(|node, _memory, _disk| {
            println!(
                "Allocate {} ({}): {}",
                node.addr(),
                node.platform,
                node.cpus
            );
            node.cpus as i64 - 1
        })
        .build()?;
    let client_task = Task::new(client_proc(client, at));
    println!("   Enter \"quit\" or \"exit\" to end the program, or");
    println!("   Enter a number to schedule a task on one of the servers");
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let cmd = line.trim().to_lowercase();
        if cmd == "quit" || cmd == "exit" {
            break;
        }
        let n = cmd.parse::<f64>().unwrap_or_else(|_| 1.0 + fastrand::f64());
        let _ = client_task.send(Some(n));
    }
    let _ = client_task.send(None::<f64>);
    client_task.value().map_err(|e| e.to_string())?;
    drop(own_scheduler);
    Ok(())
}

fn parse_args(args: &[String]) -> Result<Option<Location>, String> {
    match args {
        [] => Ok(None),
        [flag, value] if flag == "--scheduler" => value
            .parse()
            .map(Some)
            .map_err(|e| format!("--scheduler {value}: {e}")),
        other => Err(format!(
            "unknown arguments {other:?} (try --scheduler IP:PORT)"
        )),
    }
}

#[task]
fn client_proc(client: Client, scheduler: Location, task: TaskCtx) -> Result<(), String> {
    client
        .schedule_at(scheduler, std::time::Duration::from_secs(10))
        .await
        .map_err(|e| format!("Could not schedule client: {e}"))?;
    let reply_task = Task::new(reply_proc());
    let mut i = 0;
    loop {
        let msg = task.receive().await;
        let Some(Some(n)) = msg.downcast_ref::<Option<f64>>().copied() else {
            break;
        };
        i += 1;
        match client.run(compute(i, n, reply_task.clone())).await {
            Ok(rtask) => println!("  Task {i} created for {n} at {}", where_is(&rtask)),
            Err(err) => println!("  Task {i} failed: {err}"),
        }
    }
    client
        .close(false, false, None)
        .await
        .map_err(|e| e.to_string())
}

fn where_is<R>(task: &Task<R>) -> String {
    task.location().map(|l| l.to_string()).unwrap_or_default()
}

#[task]
fn reply_proc(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(text) = msg.downcast_ref::<String>() {
            let mut parts = text.splitn(3, ' ');
            let (i, at, time) = (parts.next(), parts.next(), parts.next());
            println!(
                "      Received reply for {} from {}: {}",
                i.unwrap_or(""),
                at.unwrap_or(""),
                time.unwrap_or("")
            );
        }
    }
}
