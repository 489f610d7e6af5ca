//! Port of pycos' `pico_service_task.py`: a tiny ("pico") service, here
//! the time at the server, run by one task registered as `pico_service`.
//! A request carries the handle of the client's task that wants the reply;
//! the service answers by sending to that handle, which works although the
//! task runs on another node (handles are location transparent). Requests
//! are served one after another, each after the delay it asks for (a
//! stand-in for reading a sensor).
//!
//! As in pycos, the node is named `pico_server` and uses the secret
//! `PycOS`, so only peers with the same secret are served (`--name` and
//! `--secret` change them; the client must use the same secret). `quit`,
//! `exit` or the end of input stops the service.
//!
//! Output, one line each: `server at IP:PORT`, then for every request
//! `served time to TASK at IP:PORT`.
//!
//! On one machine, over loopback:
//!
//! ```text
//! cargo run -p pycos-examples --bin pico_service_task -- --no-discover --host 127.0.0.1 --port 9705
//! cargo run -p pycos-examples --bin pico_client_task -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! On two machines: leave out `--no-discover` on both (discovery finds the
//! service on the local network), or give the client `--peer SERVER_IP:9705`.

use std::time::{SystemTime, UNIX_EPOCH};

use pycos::prelude::*;
use pycos_examples::net;
use pycos_examples::pico::{Reply, Request};

#[task]
fn pico_service(task: TaskCtx) -> Result<(), String> {
    task.set_daemon(true);
    task.register("pico_service").map_err(|e| e.to_string())?;
    loop {
        let msg = task.receive().await;
        // Anything but a well-formed request is ignored, as in pycos.
        let Some(req) = msg.downcast_ref::<Request>() else {
            continue;
        };
        if req.req != "time" || !req.delay.is_finite() || req.delay < 0.0 {
            continue;
        }
        task.sleep(req.delay).await; // a slow sensor
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let reply = Reply {
            result: format!("{now} s since the epoch"),
            from: task.handle(),
        };
        match req.reply.send(reply) {
            Ok(()) => println!(
                "served time to {} at {}",
                req.reply.name(),
                net::task_location(&req.reply)
            ),
            Err(err) => println!("cannot reply to {}: {err}", req.reply),
        }
    }
}

#[pycos::main]
fn main() -> Result<(), String> {
    // pycos' defaults for this example; the command line can override them.
    let defaults = ["--name", "pico_server", "--secret", "PycOS"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let node = args.builder.start().map_err(|err| err.to_string())?;
    Task::new(pico_service());
    println!("server at {}", node.location());
    net::each_line_until_quit(|_| {});
    Ok(())
}
