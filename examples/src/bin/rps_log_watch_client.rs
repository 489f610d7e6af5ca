//! Port of pycos' `rps_log_watch_client.py`: watches the logs of every
//! `rps_log_watch_server` it finds. A task gets the node's peer status
//! (`peer_status`); for each peer that comes online, a task locates the
//! RPS `rps_log_monitor` at that peer and calls it with the handle of
//! the task that prints the lines, so the server's task streams its
//! matching log lines there. At `quit`, `exit` or the end of input, every
//! proxy is closed (`rps.close()`), which terminates the tasks at the
//! servers, and the program ends.
//!
//! Uses the name `client` and the secret `LogMon`, as pycos'
//! (`--name`, `--secret`).
//!
//! Output, one line each: `watching IP:PORT` once a server's task runs
//! for this client (`no log watch at IP:PORT: WHY` when the peer has
//! none), `IP:PORT: LINE` per line, `IP:PORT offline` when a peer goes,
//! and at the end `closed N` (the number of tasks that close
//! terminated).
//!
//! ```text
//! cargo run -p pycos-examples --bin rps_log_watch_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! Without `--peer` (and without `--no-discover`), it watches every
//! server that discovery finds on the local network.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::net;
use pycos_examples::rps_log_watch::{LogLine, rps_log_monitor};
use pycos_net::{Location, Node, PeerState, PeerStatus, Rps};

type Proxies = Arc<Mutex<Vec<Rps<rps_log_monitor>>>>;

/// Prints the lines the servers' tasks send.
#[task]
fn rps_client(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        match msg.downcast_ref::<LogLine>() {
            Some(log) => println!("{}: {}", net::task_location(&log.from), log.line),
            None => println!("ignoring {}", net::describe(&msg)),
        }
    }
}

/// Locates the RPS at `location` and starts a watch there for `client`.
#[task]
fn discover_rps(location: Location, client: Task, proxies: Proxies) {
    let rps = match Rps::<rps_log_monitor>::locate(Some(location), Duration::from_secs(5)).await {
        Ok(rps) => rps,
        Err(err) => {
            println!("no log watch at {location}: {err}");
            return;
        }
    };
    proxies
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(rps.clone());
    match rps.call((client,)).await {
        Ok(_) => println!("watching {location}"),
        Err(err) => println!("no log watch at {location}: {err}"),
    }
}

/// Gets the peer status; `quit` closes every proxy and ends it.
#[task]
fn peer_status(task: TaskCtx) -> usize {
    let client = Task::new(rps_client());
    let proxies = Proxies::default();
    let mut watches = Vec::new();
    loop {
        let msg = task.receive().await;
        if let Some(status) = msg.downcast_ref::<PeerStatus>() {
            match status.status {
                PeerState::Online => watches.push(Task::new(discover_rps(
                    status.location,
                    client.untyped(),
                    proxies.clone(),
                ))),
                PeerState::Offline => println!("{} offline", status.location),
            }
        } else if msg.downcast_ref::<String>().is_some_and(|s| s == "quit") {
            break;
        }
    }
    // The calls in progress first, so that close finds their tasks.
    for watch in watches {
        let _ = watch.finish().timeout(10.0).await;
    }
    let proxies = std::mem::take(&mut *proxies.lock().unwrap_or_else(PoisonError::into_inner));
    proxies.iter().map(|rps| rps.close()).sum()
}

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--name", "client", "--secret", "LogMon"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let node: Node = args.builder.start().map_err(|err| err.to_string())?;
    let status_monitor = Task::new(peer_status());
    node.peer_status(&status_monitor);
    for peer in args.peers {
        Task::new(link(peer));
    }
    net::each_line_until_quit(|_| {});
    status_monitor
        .send("quit".to_owned())
        .map_err(|err| err.to_string())?;
    let closed = status_monitor
        .value_timeout(30.0)
        .map_err(|err| err.to_string())?;
    println!("closed {closed}");
    Ok(())
}

/// Links to a peer given on the command line (peer status reports it).
#[task]
fn link(peer: Location) {
    if let Some(node) = Node::current()
        && let Err(err) = node.peer(peer).await
    {
        println!("cannot link to {peer}: {err}");
    }
}
