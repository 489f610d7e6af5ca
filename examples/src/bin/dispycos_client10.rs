//! A server per file, closed by its own job (pycos'
//! `dispycos_client10.py`): each server initialised gets a data file and
//! a `compute` job that sends the file's checksums, one algorithm at a
//! time, to a task at the client, then closes its server with
//! [`close_server`]; the client's `restart_servers` has the node start a
//! fresh server in its place, which takes the next file.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client10 -- [DIR] [N]
//! cargo run -p pycos-examples --bin dispycos_client10 -- --node 127.0.0.1:9706 --secret S
//! ```
//!
//! The second runs the servers on a `dispycosnode` started with the same
//! secret (`cargo run -p pycos-net --bin dispycosnode -- -i 127.0.0.1 -s S`).
//!
//! The data files are the `*.rs` files of `DIR` (default: these examples'
//! sources), the first `N` of them. With more files than servers, the
//! later ones run on restarted servers. Without `--node` the example
//! starts its own node on loopback.

use std::path::PathBuf;
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::{ClusterOptions, serve_if_node};
use pycos_examples::dispycos_b::{
    ALGORITHMS, Digest, DynError, base_name, checksum, data_files, file_per_server,
};
use pycos_net::dispycos::{Client, close_server};
use pycos_net::{Location, Node};
use serde::{Deserialize, Serialize};

/// The end of a file's checksums (pycos' `None`).
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_client10::FileDone")]
struct FileDone {
    file: String,
}

/// A job: sends `reply` the checksum of `data_file` (sent to this
/// server's directory) with each algorithm, a simulated computation
/// apart, then [`FileDone`]; removes the file and closes this server.
#[task(remote)]
fn compute(data_file: String, reply: Task, task: TaskCtx) -> Result<(), String> {
    let data = std::fs::read(&data_file).map_err(|err| format!("{data_file}: {err}"))?;
    for alg in ALGORITHMS {
        let Some(hex) = checksum(alg, &data) else {
            continue;
        };
        task.sleep(secs(0.05, 0.15)).await;
        let digest = Digest {
            file: data_file.clone(),
            alg: (*alg).to_owned(),
            hex,
        };
        reply.send(digest).map_err(|err| err.to_string())?;
    }
    reply
        .send(FileDone {
            file: data_file.clone(),
        })
        .map_err(|err| err.to_string())?;
    std::fs::remove_file(&data_file).map_err(|err| format!("{data_file}: {err}"))?;
    // The server ends once this job has; the client's `restart_servers`
    // has its node start a new one.
    close_server(false, false)
}

/// A random duration in `low..high` seconds.
fn secs(low: f64, high: f64) -> f64 {
    low + fastrand::f64() * (high - low)
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    let options = ClusterOptions::parse()?;
    let files = data_files(options.rest())?;
    let cluster = options.start()?;
    let client = cluster.client().restart_servers(true).build()?;
    cluster.run(client_proc(client, files))
}

/// Schedules the client, being its status task too: each server
/// initialised (restarted ones again) takes the next file.
#[task]
fn client_proc(client: Client, files: Vec<PathBuf>, task: TaskCtx) -> Result<(), DynError> {
    file_per_server(&client, &files, &task, use_server).await
}

/// Sends `file` to the server at `server` and runs `compute` on it there,
/// its checksums going to a task of its own here.
#[task]
fn use_server(client: Client, server: Location, file: PathBuf) -> Result<(), String> {
    let name = base_name(&file);
    println!("  Sending {name} to {server}");
    let here = Node::current().ok_or("no node runs here")?;
    here.send_file(server, &file, None, true, Duration::from_secs(5))
        .await
        .map_err(|err| format!("Could not send data file {:?} to {server}: {err}", file))?;
    let results = Task::new(recv_results());
    let job = client
        .run_at(server, compute(name.clone(), results.untyped()))
        .await
        .map_err(|err| format!("{name}: {err}"))?;
    job.finish().await.map_err(|err| format!("{name}: {err}"))?;
    let sums = results.finish().await.map_err(|err| err.to_string())?;
    println!("{name}: {sums} checksums");
    Ok(())
}

/// Prints the checksums of one file as they come; gives their count.
#[task]
fn recv_results(task: TaskCtx) -> usize {
    let mut count = 0;
    loop {
        let msg = task.receive().await;
        if let Some(digest) = msg.downcast_ref::<Digest>() {
            println!("{}sum for \"{}\": {}", digest.alg, digest.file, digest.hex);
            count += 1;
        } else if msg.is::<FileDone>() {
            return count;
        }
    }
}
