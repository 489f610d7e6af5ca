//! In-memory processing with `server_setup` (pycos'
//! `dispycos_client9_server.py`): when a server is discovered the client
//! sends it a data file of its own and enables it; `setup_server` reads
//! the file into that server's memory (and removes it from disk), and 15
//! `compute` jobs then checksum the data of whichever server runs them.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client9_server -- [DIR] [N]
//! cargo run -p pycos-examples --bin dispycos_client9_server -- --node 127.0.0.1:9706 --secret S
//! ```
//!
//! The second runs the servers on a `dispycosnode` started with the same
//! secret (`cargo run -p pycos-net --bin dispycosnode -- -i 127.0.0.1 -s S`).
//!
//! The data files are the `*.rs` files of `DIR` (default: these examples'
//! sources), the first `N` of them, given to the servers in turn. Without
//! `--node` the example starts its own node on loopback (and the servers'
//! lines appear in its output).

use std::path::PathBuf;
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::{ClusterOptions, serve_if_node};
use pycos_examples::dispycos_b::{
    Digest, DynError, base_name, checksum, checksum_jobs, data_files, in_memory, keep_in_memory,
};
use pycos_net::dispycos::{Client, DispycosStatus, Status};
use pycos_net::{Location, Node};

/// A job: after `secs` (the computation, simulated), the checksum with
/// `alg` of the data `setup_server` kept in this server's memory.
#[task(remote)]
fn compute(alg: String, secs: f64, task: TaskCtx) -> Result<Digest, String> {
    task.sleep(secs).await;
    let kept = in_memory().ok_or("setup_server kept no data in this server")?;
    let hex = checksum(&alg, &kept.data).ok_or_else(|| format!("no algorithm {alg}"))?;
    Ok(Digest {
        file: kept.name,
        alg,
        hex,
    })
}

/// Runs in a server the client enabled: reads `data_file`, sent to the
/// server's own directory, into memory, and removes it. `0` is success.
#[task(remote)]
fn setup_server(data_file: String) -> Result<i32, String> {
    let here = Node::current().map(|node| node.location().to_string());
    println!("{} processing {data_file}", here.unwrap_or_default());
    let data = std::fs::read(&data_file).map_err(|err| format!("{data_file}: {err}"))?;
    std::fs::remove_file(&data_file).map_err(|err| format!("{data_file}: {err}"))?;
    keep_in_memory(data_file, data);
    Ok(0)
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    let options = ClusterOptions::parse()?;
    let files = data_files(options.rest())?;
    let cluster = options.start()?;
    // The status task is the builder's (disabled nodes or servers need
    // one), and it needs the client: it gets it once built.
    let status = Pycos::instance().spawn(status_proc(files.clone()));
    let client = cluster
        .client()
        .status_task(&status)
        // The arguments come with `enable_server`, per server.
        .server_setup(setup_server(String::new()))?
        .disable_servers(true)
        .build()?;
    status.send(client.clone())?;
    cluster.run(client_proc(client))
}

#[task]
fn client_proc(client: Client) -> Result<(), DynError> {
    checksum_jobs(&client, compute).await
}

/// The client's status task, told the client first: gives each server discovered the next data
/// file.
#[task]
fn status_proc(files: Vec<PathBuf>, task: TaskCtx) {
    task.set_daemon(true);
    // The client comes first; status messages before it wait their turn.
    let Ok(client) = task
        .receive_matching(|msg| msg.is::<Client>())
        .await
        .downcast::<Client>()
    else {
        return;
    };
    let mut next = 0;
    loop {
        let msg = task.receive().await;
        let Some(status) = msg.downcast_ref::<DispycosStatus>() else {
            continue;
        };
        if let (Status::ServerDiscovered, Some(server)) = (status.status, status.info.server()) {
            let file = files[next % files.len()].clone();
            next += 1;
            Task::new(server_available(client.clone(), server, file));
        }
    }
}

/// Sends `file` to the server at `server`, then enables it: it runs
/// `setup_server` with the file's name.
#[task]
fn server_available(client: Client, server: Location, file: PathBuf) {
    println!("  Sending {} to {server}", file.display());
    let Some(here) = Node::current() else { return };
    if let Err(err) = here
        .send_file(server, &file, None, true, Duration::from_secs(5))
        .await
    {
        println!("Could not send data file {:?} to {server}: {err}", file);
        return;
    }
    if let Err(err) = client
        .enable_server(server, Some(setup_server(base_name(&file))))
        .await
    {
        println!("Could not enable server {server}: {err}");
    }
}
