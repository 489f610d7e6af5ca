//! Port of pycos' `rps_monitor_server.py`: publishes the RPS
//! [`rps_server`](fn@rps_server): each call creates a task here that waits for a text
//! from its caller, then ends with it after sleeping `b` seconds, or
//! fails (`invalid invocation`) when `b` is not positive or no text came
//! within 2 s. The client's monitor hears both outcomes.
//!
//! As in pycos, the node is named `server` and uses the secret `test`
//! (`--name` and `--secret` change them). `quit`, `exit` or the end of
//! input stops it.
//!
//! Output, one line: `server at IP:PORT` once the RPS is registered.
//!
//! On one machine, over loopback:
//!
//! ```text
//! cargo run -p pycos-examples --bin rps_monitor_server -- --no-discover --host 127.0.0.1 --port 9705
//! cargo run -p pycos-examples --bin rps_monitor_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! On two machines: leave out `--no-discover` and `--host` on both
//! (discovery finds the server on the local network), or give the
//! client `--peer SERVER_IP:9705`.

use pycos_examples::net;
use pycos_examples::rps_monitor::rps_server;
use pycos_net::Rps;

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--name", "server", "--secret", "test"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let node = args.builder.start().map_err(|err| err.to_string())?;
    Rps::<rps_server>::register().map_err(|err| err.to_string())?;
    println!("server at {}", node.location());
    net::each_line_until_quit(|_| {});
    Ok(())
}
