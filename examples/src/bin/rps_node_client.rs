//! Port of pycos' `rps_node_client.py`: sends a script to
//! `rps_node_server` and has it run there. It locates the RPS
//! `node_update_rps`, sends the script with `send_file` (it lands in the
//! server's `dest_path`, overwriting an older copy), calls the RPS with
//! this task's handle, the script's name and a number of seconds for the
//! script, answers the server task's challenge with the HMAC of it keyed
//! with the authentication string (see `pycos_examples::rps_node`), and
//! prints the script's output and exit code, or why the server refused.
//!
//! As in pycos, the first line of input is the authentication string,
//! the node is named `client` and uses the secret `update` (`--name`,
//! `--secret`). Arguments: the script (default
//! `examples/scripts/node_update_script.sh` of this source tree) and,
//! beyond pycos, the seconds the script is given (default random, 2 to
//! 5, as pycos').
//!
//! Output, one line each: `RPS server is at IP:PORT`, `sent NAME`,
//! `challenge answered`, then `script output: LINE` and `script error:
//! LINE` per line the script printed and `script exited with CODE`, or
//! `refused (KIND): WHY`.
//!
//! ```text
//! cargo run -p pycos-examples --bin rps_node_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! Without `--peer` (and without `--no-discover`), discovery finds the
//! server on the local network.

use std::path::PathBuf;
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::net;
use pycos_examples::rps_node::{self, Answer, Challenge, ScriptOutput, node_update_rps};
use pycos_net::{Location, Rps};

#[task]
fn client_proc(
    peers: Vec<Location>,
    script: PathBuf,
    secs: f64,
    auth: String,
    task: TaskCtx,
) -> Result<(), String> {
    let node = net::linked(&peers).await?;
    let rps = Rps::<node_update_rps>::locate(None, Duration::from_secs(10))
        .await
        .map_err(|err| err.to_string())?;
    println!("RPS server is at {}", rps.location());
    node.send_file(rps.location(), &script, None, true, Duration::from_secs(5))
        .await
        .map_err(|err| format!("could not send {}: {err}", script.display()))?;
    let name = script
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or("the script has no file name")?;
    println!("sent {name}");
    let server = rps
        .call((task.handle(), name, secs))
        .await
        .map_err(|err| err.to_string())?;
    let challenge = task
        .receive_matching(|msg| msg.is::<Challenge>())
        .timeout(10.0)
        .await
        .ok_or("no challenge from the server in 10 s")?;
    let challenge = challenge
        .downcast_ref::<Challenge>()
        .ok_or("not a challenge")?;
    server
        .send(Answer {
            tag: rps_node::answer(&auth, &challenge.bytes),
        })
        .map_err(|err| err.to_string())?;
    println!("challenge answered");
    let code = match server.finish().timeout(secs + 30.0).await {
        None => return Err("the server's task did not end in time".to_owned()),
        Some(Err(err)) => {
            println!("refused ({}): {err}", err.kind());
            return Ok(());
        }
        Some(Ok(code)) => code,
    };
    // Sent before the task ended.
    let output = task
        .receive_matching(|msg| msg.is::<ScriptOutput>())
        .timeout(5.0)
        .await
        .ok_or("no output from the server")?;
    if let Some(output) = output.downcast_ref::<ScriptOutput>() {
        for line in output.stdout.lines() {
            println!("script output: {line}");
        }
        for line in output.stderr.lines() {
            println!("script error: {line}");
        }
    }
    println!("script exited with {code}");
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--name", "client", "--secret", "update"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let script = args.rest.first().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/node_update_script.sh"),
        PathBuf::from,
    );
    if !script.is_file() {
        return Err(format!("{} is not a file", script.display()));
    }
    let secs = args.seconds(1, "the script's time", 2.0 + 3.0 * fastrand::f64())?;
    let mut auth = String::new();
    std::io::stdin()
        .read_line(&mut auth)
        .map_err(|err| err.to_string())?;
    args.builder.start().map_err(|err| err.to_string())?;
    Task::new(client_proc(
        args.peers,
        script,
        secs,
        auth.trim().to_owned(),
    ));
    Ok(())
}
