//! A job that catches the [`KeyboardInterrupt`] of its server's close
//! (pycos' `dispycos_kbd_int.py`): a `compute_proc` job on every server
//! searches for a best random value forever, sending the client a better
//! one now and then; when the user types `quit` (or `exit`, or ends the
//! input) the client closes with `terminate`, the servers throw a
//! [`KeyboardInterrupt`] into the jobs, and each catches it, improves its
//! value a little more within its 5 s of grace, and sends it as its final
//! result.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_kbd_int -- [--idle SECS]
//! cargo run -p pycos-examples --bin dispycos_kbd_int -- --node 127.0.0.1:9706 --secret S
//! ```
//!
//! The second runs the servers on a `dispycosnode` started with the same
//! secret (`cargo run -p pycos-net --bin dispycosnode -- -i 127.0.0.1 -s S`).
//!
//! With no update for `--idle` seconds (default 60, as in pycos) the
//! client stops by itself. Without `--node` the example starts its own
//! node on loopback. Unlike the Python, the client prints the final
//! results the jobs send while the servers close (the Python leaves them
//! unread), and the sleeps are tenths of a second, not seconds.
//!
//! [`KeyboardInterrupt`]: pycos_net::dispycos::KeyboardInterrupt

use std::time::{Duration, Instant};

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dispycos_b::{DynError, QUIT, run_until_quit};
use pycos_net::dispycos::{Client, DispycosStatus, Status, is_keyboard_interrupt};
use pycos_net::{Location, Node};
use serde::{Deserialize, Serialize};

/// The best value a job found so far; `last` on the one it sends after
/// the interrupt.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_kbd_int::Best")]
struct Best {
    server: Location,
    value: f64,
    last: bool,
}

/// What the status task tells the client task for each job it started:
/// the client waits for as many final results.
struct JobStarted;

/// How often at most a job sends an update (pycos: 10 s).
const UPDATE_INTERVAL: Duration = Duration::from_millis(500);

/// A job that never ends by itself: draws random values, sending
/// `client` a better one at most every [`UPDATE_INTERVAL`], until its
/// server's close interrupts it; then improves the best a little and
/// sends it as the last.
#[task(remote)]
fn compute_proc(client: Task, task: TaskCtx) -> Result<(), String> {
    let server = Node::current().ok_or("no node runs here")?.location();
    let send = |value: f64, last: bool| {
        client
            .send(Best {
                server,
                value,
                last,
            })
            .map_err(|err| err.to_string())
    };
    let (mut best, mut last_update) = (0.0, None::<Instant>);
    loop {
        let v = fastrand::f64();
        if v > best {
            best = v;
            if last_update.is_none_or(|at| at.elapsed() > UPDATE_INTERVAL) {
                send(best, false)?;
                last_update = Some(Instant::now());
            }
        }
        // The computation, simulated; the interrupt arrives during a wait.
        match task.sleep(0.3).catch().await {
            Err(interrupt) if is_keyboard_interrupt(&interrupt) => break,
            Err(other) => return Err(format!("interrupted: {other:?}")),
            Ok(_) => {}
        }
    }
    // About 5 s left before the server terminates this job.
    let low = best;
    for _ in 0..5 {
        best = f64::max(best, low + fastrand::f64() * (1.0 - low));
        task.sleep(0.025 + fastrand::f64() * 0.025).await;
    }
    send(best, true)
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    run_until_quit(client_proc)
}

/// Schedules the client, shows each better value, and on `quit` (or
/// `idle` seconds without one) closes it, terminating the jobs; then
/// shows their final values.
#[task]
fn client_proc(client: Client, idle: f64, task: TaskCtx) -> Result<(), DynError> {
    let status = Task::new(status_proc(client.clone(), task.handle()));
    client.set_status_task(&status);
    client.schedule().await?;
    let (mut best, mut jobs) = (0.0, 0);
    loop {
        let Some(msg) = task.receive().timeout(idle).await else {
            println!("stopping computations; current best value is {best}");
            break;
        };
        if let Some(update) = msg.downcast_ref::<Best>() {
            if update.value > best {
                println!("update from {}: {}", update.server, update.value);
                best = update.value;
            }
        } else if msg.is::<JobStarted>() {
            jobs += 1;
        } else if msg.downcast_ref::<String>().is_some_and(|m| m == QUIT) {
            break;
        }
    }
    // pycos' `close(terminate=True)`: each server throws a
    // KeyboardInterrupt into its jobs, which send their final result
    // before they end; those results wait in this task's mailbox.
    client
        .close(false, true, Some(Duration::from_secs(30)))
        .await?;
    let mut finals = 0;
    while finals < jobs {
        let Some(msg) = task.receive().timeout(10.0).await else {
            println!("** {} final results missing", jobs - finals);
            break;
        };
        if let Some(best) = msg.downcast_ref::<Best>().filter(|b| b.last) {
            println!("final from {}: {}", best.server, best.value);
            finals += 1;
        } else if msg.is::<JobStarted>() {
            jobs += 1; // started as the nodes closed
        }
    }
    Ok(())
}

/// The client's status task: starts a `compute_proc` job on each server
/// initialised, reporting to `client_task`.
#[task]
fn status_proc(client: Client, client_task: Task, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        let Some(status) = msg.downcast_ref::<DispycosStatus>() else {
            continue;
        };
        match (status.status, status.info.server()) {
            (Status::ServerInitialized, Some(server)) => {
                println!("server at {server} is available");
                match client
                    .run_at(server, compute_proc(client_task.clone()))
                    .await
                {
                    Ok(_) => {
                        let _ = client_task.send(JobStarted);
                    }
                    Err(err) => println!("cannot start a job at {server}: {err}"),
                }
            }
            (Status::ServerClosed | Status::ServerAbandoned, Some(server)) => {
                println!("server at {server} is closed");
            }
            _ => {}
        }
    }
}
