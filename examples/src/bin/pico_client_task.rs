//! Port of pycos' `pico_client_task.py`: locates the task `pico_service`
//! of `pico_service_task`, sends it a request for the time that carries
//! this task's own handle, and waits (up to 10 s) for the reply the
//! service sends to that handle across the network.
//!
//! Uses the secret `PycOS`, as the service does (`--secret` changes it).
//! Optional arguments, beyond pycos': the number of requests (default 1)
//! and the longest delay the service is asked to take (seconds, default 5;
//! the shortest is two fifths of it, as pycos' 2 to 5 s).
//!
//! Output, one line each: `pico service is at IP:PORT`, then per request
//! `reply from TASK at IP:PORT: RESULT` or `no reply in 10 s`.
//!
//! ```text
//! cargo run -p pycos-examples --bin pico_client_task -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! Without `--peer` (and without `--no-discover`), discovery finds the
//! service on the local network.

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::net;
use pycos_examples::pico::{Reply, Request};

#[task]
fn client_proc(
    peers: Vec<pycos_net::Location>,
    count: u32,
    longest: f64,
    task: TaskCtx,
) -> Result<(), String> {
    let node = net::linked(&peers).await?;
    let service = node
        .locate_task("pico_service", None, Duration::from_secs(10))
        .await
        .ok_or("could not find the pico service task")?;
    println!("pico service is at {}", net::task_location(&service));
    for _ in 0..count {
        let req = Request {
            req: "time".to_owned(),
            reply: task.handle(),
            delay: longest * (0.4 + 0.6 * fastrand::f64()),
        };
        service.send(req).map_err(|e| e.to_string())?;
        // A timeout, in case the request or the reply is lost.
        match task.receive().timeout(10.0).await {
            Some(msg) => match msg.downcast_ref::<Reply>() {
                Some(reply) => println!(
                    "reply from {} at {}: {}",
                    reply.from.name(),
                    net::task_location(&reply.from),
                    reply.result
                ),
                None => println!("invalid reply {}", net::describe(&msg)),
            },
            None => println!("no reply in 10 s"),
        }
    }
    Ok(())
}

fn number<T: std::str::FromStr>(arg: Option<&String>, default: T, what: &str) -> Result<T, String> {
    match arg {
        Some(text) => text
            .parse()
            .map_err(|_| format!("{what} {text:?} is not a number")),
        None => Ok(default),
    }
}

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--secret", "PycOS"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let count = number(args.rest.first(), 1_u32, "the number of requests")?;
    let longest = number(args.rest.get(1), 5.0_f64, "the longest delay")?;
    if !(longest.is_finite() && longest >= 0.0) {
        return Err(format!(
            "the longest delay {longest} is not a number of seconds"
        ));
    }
    args.builder.start().map_err(|err| err.to_string())?;
    Task::new(client_proc(args.peers, count, longest));
    Ok(())
}
