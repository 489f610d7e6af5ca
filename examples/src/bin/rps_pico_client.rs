//! Port of pycos' `rps_pico_client.py`: locates the RPS `pico_service`
//! of `rps_pico_service`, calls it N times (each call creates a task at
//! the server), then waits for each of those tasks with `finish` bounded
//! by 5 s, as pycos' `rtask.finish(timeout=5)`: the value is the reply
//! (checked to come from the very task the call created), a failure is
//! how the remote task ended.
//!
//! Uses the secret `PycOS`, as the service does (`--secret` changes it).
//! Arguments: the number of calls (default 5, as pycos') and, beyond
//! pycos, the request to make (default `time`; any other is refused by
//! the service, so its failure shows).
//!
//! Output, one line each: `pico service RPS is at IP:PORT`, `service
//! task N at IP:PORT` per call, then per task in call order
//! `result N: RESULT` (or `result N from another task: ...`), `failed N
//! (KIND): WHY`, or `no result N in 5 s`.
//!
//! ```text
//! cargo run -p pycos-examples --bin rps_pico_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705 3
//! ```
//!
//! Without `--peer` (and without `--no-discover`), discovery finds the
//! service on the local network.

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::net;
use pycos_examples::rps_pico::pico_service;
use pycos_net::{Location, Rps};

#[task]
fn client_proc(peers: Vec<Location>, n: u32, req: String, task: TaskCtx) -> Result<(), String> {
    net::linked(&peers).await?;
    let rps = Rps::<pico_service>::locate(None, Duration::from_secs(10))
        .await
        .map_err(|err| err.to_string())?;
    println!("pico service RPS is at {}", rps.location());
    let mut service_tasks = Vec::new();
    for i in 0..n {
        match rps.call((req.clone(), task.handle())).await {
            Ok(rtask) => {
                println!("service task {i} at {}", net::task_location(&rtask));
                service_tasks.push((i, rtask));
            }
            Err(err) => println!("call {i} failed: {err}"),
        }
    }
    for (i, rtask) in service_tasks {
        // A timeout in case of failures, as pycos' finish(timeout=5).
        match rtask.finish().timeout(5.0).await {
            Some(Ok(reply)) if reply.server == rtask => {
                println!("result {i}: {}", reply.result);
            }
            Some(Ok(reply)) => println!("result {i} from another task: {}", reply.result),
            Some(Err(err)) => println!("failed {i} ({}): {err}", err.kind()),
            None => println!("no result {i} in 5 s"),
        }
    }
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--secret", "PycOS"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let n = match args.rest.first() {
        Some(text) => text
            .parse()
            .map_err(|_| format!("the number of calls {text:?} is not a number"))?,
        None => 5,
    };
    let req = args
        .rest
        .get(1)
        .cloned()
        .unwrap_or_else(|| "time".to_owned());
    args.builder.start().map_err(|err| err.to_string())?;
    Task::new(client_proc(args.peers, n, req));
    Ok(())
}
