//! Each server a unit with its own memory (pycos'
//! `dispycos_mem_servers.py`): each server initialised gets a data file;
//! an `init_mem` job reads it into the server's memory, then a `compute`
//! job there answers five checksum requests the client sends it by
//! message, from that memory, and ends by closing its server with a
//! restart (a fresh process, its memory gone), which takes the next
//! file.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_mem_servers -- [DIR] [N]
//! cargo run -p pycos-examples --bin dispycos_mem_servers -- --node 127.0.0.1:9706 --secret S
//! ```
//!
//! The second runs the servers on a `dispycosnode` started with the same
//! secret (`cargo run -p pycos-net --bin dispycosnode -- -i 127.0.0.1 -s S`).
//!
//! The data files are the `*.rs` files of `DIR` (default: these examples'
//! sources), the first `N` of them. Without `--node` the example starts
//! its own node on loopback.
//!
//! Unlike the Python, both jobs of a file run at the server the file was
//! sent to (`run_at`): a job elsewhere would not find it.

use std::path::PathBuf;
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::{self, serve_if_node};
use pycos_examples::dispycos_b::{
    ALGORITHMS, DynError, base_name, checksum, data_files, file_per_server, in_memory,
    keep_in_memory,
};
use pycos_net::dispycos::{Client, close_server};
use pycos_net::{Location, Node};
use serde::{Deserialize, Serialize};

/// What the client asks `compute`: a checksum with `alg`, after `secs`
/// of simulated work.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_mem_servers::Request")]
struct Request {
    alg: String,
    secs: f64,
}

/// The end of the requests (pycos' `None`).
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_mem_servers::NoMoreRequests")]
struct NoMoreRequests;

/// `compute`'s answer: the checksum, or why there is none.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_mem_servers::Reply")]
struct Reply(Result<String, String>);

/// A job: reads `data_file` (sent to this server's directory) into this
/// server's memory, for the jobs after it, and removes it. `0` is success.
#[task(remote)]
fn init_mem(data_file: String) -> Result<i32, String> {
    let data = std::fs::read(&data_file).map_err(|err| format!("{data_file}: {err}"))?;
    std::fs::remove_file(&data_file).map_err(|err| format!("{data_file}: {err}"))?;
    keep_in_memory(data_file, data);
    Ok(0)
}

/// A job: answers `reply` each [`Request`] with the checksum of the data
/// in memory, until [`NoMoreRequests`]; then closes and restarts its
/// server (which drops that memory).
#[task(remote)]
fn compute(reply: Task, task: TaskCtx) -> Result<i32, String> {
    let kept = in_memory().ok_or("init_mem kept no data in this server")?;
    loop {
        let msg = task.receive().await;
        let answer = if let Some(request) = msg.downcast_ref::<Request>() {
            task.sleep(request.secs).await; // the computation, simulated
            checksum(&request.alg, &kept.data).ok_or(format!("no algorithm {}", request.alg))
        } else if msg.is::<NoMoreRequests>() {
            break;
        } else {
            Err(format!("invalid message {msg:?} ignored"))
        };
        reply.send(Reply(answer)).map_err(|err| err.to_string())?;
    }
    close_server(false, true)?;
    Ok(0)
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    cluster::run(data_files, client_proc)
}

/// Schedules the client, being its status task too: each server
/// initialised (restarted ones again) takes the next file.
#[task]
fn client_proc(client: Client, files: Vec<PathBuf>, task: TaskCtx) -> Result<(), DynError> {
    file_per_server(&client, &files, &task, use_server).await
}

/// Sends `file` to the server at `server`, has `init_mem` read it there,
/// then asks `compute` there for five checksums, one at a time.
#[task]
fn use_server(
    client: Client,
    server: Location,
    file: PathBuf,
    task: TaskCtx,
) -> Result<(), String> {
    let name = base_name(&file);
    println!("  sending {name} to {server}");
    let here = Node::current().ok_or("no node runs here")?;
    here.send_file(server, &file, None, true, Duration::from_secs(5))
        .await
        .map_err(|err| format!("Could not send data file {:?} to {server}: {err}", file))?;
    let fail = |err: &dyn std::fmt::Display| format!("{name} at {server}: {err}");
    let init = client
        .run_at(server, init_mem(name.clone()))
        .await
        .map_err(|e| fail(&e))?;
    init.finish().await.map_err(|e| fail(&e))?;
    let compute = client
        .run_at(server, compute(task.handle()))
        .await
        .map_err(|e| fail(&e))?;
    for _ in 0..5 {
        let alg = ALGORITHMS[fastrand::usize(..ALGORITHMS.len())];
        let secs = 0.05 + fastrand::f64() * 0.1;
        compute
            .send(Request {
                alg: alg.to_owned(),
                secs,
            })
            .map_err(|e| fail(&e))?;
        let reply = task
            .receive_matching(|msg| msg.is::<Reply>())
            .timeout(30.0)
            .await
            .ok_or_else(|| fail(&"no reply in 30 s"))?;
        match reply.downcast_ref::<Reply>().map(|r| &r.0) {
            Some(Ok(hex)) => {
                println!("  server at {server} computed {alg} for {name} as \"{hex}\"")
            }
            Some(Err(why)) => println!("  server at {server} failed for {name} with {alg}: {why}"),
            None => {}
        }
    }
    compute.send(NoMoreRequests).map_err(|e| fail(&e))?;
    compute.finish().await.map_err(|e| fail(&e))?;
    println!("{name} done");
    Ok(())
}
