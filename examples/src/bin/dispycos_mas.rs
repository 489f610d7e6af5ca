//! A multi-agent system (pycos' `dispycos_mas.py`): an `agent_proc` job
//! on every server searches for a low and a high random value, and the
//! agents cooperate: each new extreme an agent finds goes to the client
//! and to every other agent, which adopts it.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_mas -- [--idle SECS]
//! cargo run -p pycos-examples --bin dispycos_mas -- --node 127.0.0.1:9706 --secret S
//! ```
//!
//! The second runs the servers on a `dispycosnode` started with the same
//! secret (`cargo run -p pycos-net --bin dispycosnode -- -i 127.0.0.1 -s S`).
//!
//! Type `quit` or `exit` (or end the input) to stop: the client closes,
//! terminating the agents. With no update for `--idle` seconds (default
//! 60, as in pycos) the client resets the last agent that sent one to
//! 5000 / 5000. Without `--node` the example starts its own node on
//! loopback, and the agents' lines appear in its output.
//!
//! Unlike the Python, agents do not find each other by broadcasting
//! discovery (these examples never leave loopback, and broadcast is not
//! for them): the client, which starts every agent, introduces them,
//! sending each the list of all. The waits are tenths of a second, not
//! seconds.

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dispycos_b::{DynError, QUIT, run_until_quit};
use pycos_net::Located as _;
use pycos_net::dispycos::{Client, DispycosStatus, Status};
use serde::{Deserialize, Serialize};

/// An agent's latest low and high (or the client's reset).
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_mas::Update")]
struct Update {
    from: Task,
    low: f64,
    high: f64,
}

/// The client's introduction: every agent running now.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_mas::Agents")]
struct Agents(Vec<Task>);

/// Where a task lives, for the lines printed.
fn place<R>(task: &Task<R>) -> String {
    task.location().map(|l| l.to_string()).unwrap_or_default()
}

/// A job that never ends by itself: draws random values (a wait of a few
/// tenths of a second stands for the work); each new low or high goes to
/// `client` and to the other agents; an update from one is adopted.
#[task(remote)]
fn agent_proc(client: Task, task: TaskCtx) -> Result<(), String> {
    let me = task.handle();
    let here = place(&me);
    let mut agents: Vec<Task> = Vec::new();
    let mut low = 1.0 + fastrand::f64() * 9999.0;
    let mut high = low;
    loop {
        let Some(msg) = task.receive().timeout(0.2 + fastrand::f64() * 0.4).await else {
            let n = 1.0 + fastrand::f64() * 9999.0;
            if n < low {
                low = n;
            } else if n > high {
                high = n;
            } else {
                continue;
            }
            let update = Update {
                from: me.clone(),
                low,
                high,
            };
            client.send(update.clone()).map_err(|err| err.to_string())?;
            // Agents that cannot be reached have gone away.
            agents.retain(|agent| agent.send(update.clone()).is_ok());
            continue;
        };
        if let Some(update) = msg.downcast_ref::<Update>() {
            println!(
                "{here} received update from {}: {:.3} / {:.3}",
                place(&update.from),
                update.low,
                update.high
            );
            (low, high) = (update.low, update.high);
        } else if let Some(Agents(all)) = msg.downcast_ref::<Agents>() {
            agents = all.iter().filter(|a| a.id() != me.id()).cloned().collect();
        }
    }
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    run_until_quit(client_proc)
}

/// Schedules the client and shows the agents' updates until `quit`;
/// after `idle` seconds without one, resets the last agent that sent one.
#[task]
fn client_proc(client: Client, idle: f64, task: TaskCtx) -> Result<(), DynError> {
    let status = Task::new(status_proc(client.clone(), task.handle()));
    client.set_status_task(&status);
    client.schedule().await?;
    let mut update_from: Option<Task> = None;
    loop {
        let Some(msg) = task.receive().timeout(idle).await else {
            if let Some(agent) = &update_from {
                println!("Resetting values to 5000");
                let reset = Update {
                    from: task.handle(),
                    low: 5000.0,
                    high: 5000.0,
                };
                let _ = agent.send(reset);
            }
            continue;
        };
        if let Some(update) = msg.downcast_ref::<Update>() {
            println!(
                "Update from {}: {:.3} / {:.3}",
                place(&update.from),
                update.low,
                update.high
            );
            update_from = Some(update.from.clone());
        } else if msg.downcast_ref::<String>().is_some_and(|m| m == QUIT) {
            break;
        }
    }
    client
        .close(false, true, Some(std::time::Duration::from_secs(30)))
        .await?;
    Ok(())
}

/// The client's status task: starts an agent on each server initialised
/// and introduces the agents to each other; forgets those of closed
/// servers.
#[task]
fn status_proc(client: Client, client_task: Task, task: TaskCtx) {
    task.set_daemon(true);
    let mut agents: Vec<Task> = Vec::new();
    loop {
        let msg = task.receive().await;
        let Some(status) = msg.downcast_ref::<DispycosStatus>() else {
            continue;
        };
        match (status.status, status.info.server()) {
            (Status::ServerInitialized, Some(server)) => {
                match client.run_at(server, agent_proc(client_task.clone())).await {
                    Ok(agent) => agents.push(agent.untyped()),
                    Err(err) => println!("cannot start an agent at {server}: {err}"),
                }
                for agent in &agents {
                    let _ = agent.send(Agents(agents.clone()));
                }
            }
            (Status::ServerClosed | Status::ServerAbandoned, Some(server)) => {
                agents.retain(|agent| agent.location() != Some(server));
            }
            _ => {}
        }
    }
}
