//! Port of pycos' `rps_monitor_client.py`: locates the RPS `rps_server`
//! of `rps_monitor_server`, sets a monitor task for every task created
//! through the proxy (`rps.monitor`), and makes five calls
//! `rps_server("testI", b = I × SCALE)`, sending each created task the
//! text `msg:I` and pausing a random time (up to SCALE seconds) after
//! each. The call with `b = 0` fails at the server; the monitor reports
//! every outcome from the `MonitorStatus` it gets, value or failure with
//! its kind, and the program ends when all five are in.
//!
//! Uses the name `client` and the secret `test`, as pycos' (`--name`,
//! `--secret`). An optional argument sets SCALE, in seconds (default 1,
//! as pycos').
//!
//! Output, one line each: `RPS is at IP:PORT`, `created task I at
//! IP:PORT` per call, then in the order the tasks end `finished: MSG` or
//! `failed (KIND): WHY`, and `all 5 done`.
//!
//! ```text
//! cargo run -p pycos-examples --bin rps_monitor_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! Without `--peer` (and without `--no-discover`), discovery finds the
//! server on the local network.

use std::time::Duration;

use pycos::MonitorStatus;
use pycos::prelude::*;
use pycos_examples::net;
use pycos_examples::rps_monitor::rps_server;
use pycos_net::{Location, Rps};

/// Gets the `MonitorStatus` of the `n` remote tasks.
#[task]
fn monitor_proc(n: u32, task: TaskCtx) {
    let mut done = 0;
    while done < n {
        // Bounded, in case a call did not create its task.
        let Some(msg) = task.receive().timeout(30.0).await else {
            println!("only {done} of {n} outcomes in 30 s");
            return;
        };
        let Some(status) = msg.downcast_ref::<MonitorStatus>() else {
            println!("ignoring {}", net::describe(&msg));
            continue;
        };
        match &status.result {
            Ok(value) => println!("finished: {}", net::describe(value)),
            Err(err) => println!("failed ({}): {err}", err.kind()),
        }
        done += 1;
    }
    println!("all {n} done");
}

#[task]
fn rps_client(peers: Vec<Location>, scale: f64, task: TaskCtx) -> Result<(), String> {
    net::linked(&peers).await?;
    let rps = Rps::<rps_server>::locate(None, Duration::from_secs(5))
        .await
        .map_err(|err| format!("could not locate the RPS: {err}"))?;
    println!("RPS is at {}", rps.location());
    let n = 5;
    let monitor = Task::new(monitor_proc(n));
    rps.monitor(&monitor).await;
    for i in 0..n {
        let rtask = match rps.call((format!("test{i}"), f64::from(i) * scale)).await {
            Ok(rtask) => rtask,
            Err(err) => {
                println!("could not create task {i}: {err}");
                continue;
            }
        };
        println!("created task {i} at {}", net::task_location(&rtask));
        // The task waits for a message before it goes on.
        rtask
            .send(format!("msg:{i}"))
            .map_err(|err| err.to_string())?;
        task.sleep(fastrand::f64() * scale).await;
    }
    monitor.finish().await.map_err(|err| err.to_string())
}

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--name", "client", "--secret", "test"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let scale = args.seconds(0, "the time scale", 1.0)?;
    args.builder.start().map_err(|err| err.to_string())?;
    Task::new(rps_client(args.peers, scale));
    Ok(())
}
