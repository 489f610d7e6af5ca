//! In-memory processing with `node_setup` (pycos'
//! `dispycos_client9_node.py`): when a node is discovered the client
//! sends it a data file and enables it; `node_setup` reads the file into
//! memory, and 15 `compute` jobs then checksum that data from memory.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client9_node -- [DIR] [N]
//! cargo run -p pycos-examples --bin dispycos_client9_node -- --node 127.0.0.1:9706 --secret S
//! ```
//!
//! The second runs the servers on a `dispycosnode` started with the same
//! secret (`cargo run -p pycos-net --bin dispycosnode -- -i 127.0.0.1 -s S`).
//!
//! The data files are the `*.rs` files of `DIR` (default: these examples'
//! sources), the first `N` of them; each node discovered gets the next
//! one. Without `--node` the example starts its own node on loopback.
//!
//! Different from pycos, as the module docs of `pycos_net::dispycos`
//! say: `node_setup` runs in every server process of the node (there is
//! no forked parent to hold one copy), so each server keeps its own copy
//! and the file cannot be removed by the first one to read it; the client
//! removes it from the node once every server of the node has read it.
//! Nodes running Windows are refused by an allocation rule, as in pycos.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::{ClusterOptions, serve_if_node};
use pycos_examples::dispycos_b::{
    Digest, DynError, base_name, checksum, checksum_jobs, data_files, in_memory, keep_in_memory,
};
use pycos_net::dispycos::{Client, DispycosStatus, NodeAllocate, Status, StatusInfo};
use pycos_net::{Location, Node};

/// A job: after `secs` (the computation, simulated), the checksum with
/// `alg` of the data `node_setup` kept in this server's memory.
#[task(remote)]
fn compute(alg: String, secs: f64, task: TaskCtx) -> Result<Digest, String> {
    task.sleep(secs).await;
    let kept = in_memory().ok_or("node_setup kept no data in this server")?;
    let hex = checksum(&alg, &kept.data).ok_or_else(|| format!("no algorithm {alg}"))?;
    Ok(Digest {
        file: kept.name,
        alg,
        hex,
    })
}

/// Runs in each server of a node the client enabled: reads `data_file`,
/// sent to the node's directory (the parent of the server's), into
/// memory. `0` is success.
#[task(remote)]
fn node_setup(data_file: String) -> Result<i32, String> {
    println!("data_file: \"{data_file}\"");
    let path = Path::new("..").join(&data_file);
    let data = std::fs::read(&path).map_err(|err| format!("{}: {err}", path.display()))?;
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
        // This example "does not work with Windows" in pycos: its nodes get no CPUs.
        .node(NodeAllocate::new("*").platform("Windows").cpus(0))
        // The arguments come with `enable_node`, per node.
        .node_setup(node_setup(String::new()))?
        .disable_nodes(true)
        .build()?;
    status.send(client.clone())?;
    cluster.run(client_proc(client))
}

#[task]
fn client_proc(client: Client) -> Result<(), DynError> {
    checksum_jobs(&client, compute).await
}

/// The client's status task, told the client first: gives each node discovered the next data
/// file, and removes the file from a node once all its servers read it.
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
    // Per node: where it is, its file, and how many servers have yet to read it.
    let mut unread: HashMap<IpAddr, (Location, String, usize)> = HashMap::new();
    loop {
        let msg = task.receive().await;
        let Some(status) = msg.downcast_ref::<DispycosStatus>() else {
            continue;
        };
        match (status.status, &status.info) {
            (Status::NodeDiscovered, StatusInfo::Node(node)) => {
                let file = files[next % files.len()].clone();
                next += 1;
                unread.insert(node.addr(), (node.location, base_name(&file), node.cpus));
                Task::new(node_available(client.clone(), node.location, file));
            }
            (Status::ServerInitialized, StatusInfo::Server(server)) => {
                if let Some((node, file, left)) = unread.get_mut(&server.ip()) {
                    *left = left.saturating_sub(1);
                    if *left == 0 {
                        Task::new(remove_data_file(*node, file.clone()));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Sends `file` to the node at `node`, then enables the node: its servers
/// run `node_setup` with the file's name.
#[task]
fn node_available(client: Client, node: Location, file: PathBuf) {
    println!("  Sending {} to {}", file.display(), node.ip());
    let Some(here) = Node::current() else { return };
    if let Err(err) = here
        .send_file(node, &file, None, true, Duration::from_secs(5))
        .await
    {
        println!("Could not send data file {:?} to {node}: {err}", file);
        return;
    }
    if let Err(err) = client
        .enable_node(node.ip(), Some(node_setup(base_name(&file))))
        .await
    {
        println!("Could not enable node {}: {err}", node.ip());
    }
}

/// The file is in every server's memory now: off the node's disk.
#[task]
fn remove_data_file(node: Location, file: String) {
    let Some(here) = Node::current() else { return };
    if let Err(err) = here
        .del_file(node, &file, None, Duration::from_secs(5))
        .await
    {
        eprintln!("cannot remove {file} from {node}: {err}");
    }
}
