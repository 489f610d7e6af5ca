//! What the ports of pycos' `dispycos_httpd1` and `dispycos_httpd2` share:
//! their options (the dashboard's port and poll interval), the job's
//! argument, and the console: each line typed becomes a job, `quit`,
//! `exit` or the end of input ends the program.
//!
//! ```text
//! --port N    the dashboard's port (default 8181; 0: any free port)
//! --poll S    how often its pages refresh, in seconds (default 2)
//! ```

use std::io::BufRead;
use std::net::{IpAddr, Ipv4Addr};

use pycos::{Task, TaskSpec};
use pycos_net::dispycos::{Client, HttpServerBuilder};
use serde::{Deserialize, Serialize};

use crate::cluster::ClusterOptions;
use crate::dispycos_a::DynError;

/// The Python programs' `C`: a job's number and how long it computes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    /// The job's number, from 1.
    pub i: u64,
    /// Seconds it "computes" (sleeps).
    pub n: f64,
}

/// The dashboard's options, from the example's own arguments.
///
/// # Errors
///
/// A one-line text naming the bad option.
///
/// ```
/// use pycos_examples::dashboard::options;
///
/// assert!(options(&["--port".into(), "0".into()]).is_ok());
/// assert!(options(&["--port".into(), "many".into()]).is_err());
/// assert!(options(&["--colour".into()]).is_err());
/// ```
pub fn options(args: &[String]) -> Result<HttpServerBuilder, String> {
    let mut builder = pycos_net::dispycos::HttpServer::builder()
        .host(IpAddr::V4(Ipv4Addr::LOCALHOST))
        .poll_sec(2.0);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => {
                let text = value()?;
                builder = builder.port(text.parse().map_err(|e| format!("--port {text}: {e}"))?);
            }
            "--poll" => {
                let text = value()?;
                builder =
                    builder.poll_sec(text.parse().map_err(|e| format!("--poll {text}: {e}"))?);
            }
            other => {
                return Err(format!(
                    "unexpected argument {other:?} (options: --port N, --poll S, \
                     --node IP:PORT, --servers N, --secret S)"
                ));
            }
        }
    }
    Ok(builder)
}

/// Sends every line of standard input to `to` (trimmed, lowercase) until
/// `quit`, `exit` or the end of input, then `None`: the end.
pub fn forward_lines(to: &Task) {
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let cmd = line.trim().to_lowercase();
        if cmd == "quit" || cmd == "exit" {
            break;
        }
        let _ = to.send(Some(cmd));
    }
    let _ = to.send(None::<String>);
}

/// Runs a dashboard example: reads the options, starts the cluster, and
/// runs `client_proc` with the client (whose status task is `status`, if
/// given) and the dashboard's options, sending it each line typed
/// ([`forward_lines`]) after printing `hint`.
///
/// # Errors
///
/// A bad option, a cluster that cannot start, or what `client_proc` gave.
pub fn run<R: std::any::Any + Send + Sync + Clone>(
    hint: &str,
    status: Option<&Task>,
    client_proc: impl FnOnce(Client, HttpServerBuilder) -> TaskSpec<R>,
) -> Result<(), DynError> {
    let cluster_options = ClusterOptions::parse()?;
    let dashboard = options(cluster_options.rest())?;
    let cluster = cluster_options.start()?;
    let builder = cluster.client();
    let client = match status {
        Some(status) => builder.status_task(status),
        None => builder,
    }
    .build()?;
    let proc_ = Task::new(client_proc(client, dashboard));
    println!("  Enter \"quit\" or \"exit\" to end the program, or");
    println!("  {hint}");
    forward_lines(&proc_.untyped());
    let result = proc_.value();
    drop(cluster);
    result.map_err(|err| err.to_string())?;
    Ok(())
}
