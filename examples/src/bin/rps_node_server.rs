//! Port of pycos' `rps_node_server.py`: runs scripts that clients send,
//! for clients that know its authentication string. Files sent by peers
//! land in `dest_path/rps_update_scripts` (set with the `dest_path`
//! setter, so `send_file` puts the clients' scripts there); the RPS
//! [`node_update_rps`](fn@node_update_rps) authenticates its caller with a challenge and
//! response (see `pycos_examples::rps_node`), then runs the script named
//! with `AsyncPipe::communicate` and sends the caller its output.
//!
//! The node is named `node_update_server` and uses the secret `update`,
//! as pycos' (`--name`, `--secret`; `--dest-path` moves `dest_path`):
//! the secret keeps unknown peers from sending files at all, the
//! authentication string from running them. As in pycos, the first line
//! of input is the authentication string; then `quit`, `exit` or the end
//! of input stops the server.
//!
//! Output, one line each: `server at IP:PORT`, `scripts go to DIR` once
//! the authentication string is read and the RPS registered, then per
//! call `running SCRIPT for CLIENT` or `refused CLIENT: WHY`.
//!
//! On one machine, over loopback (type the authentication string first):
//!
//! ```text
//! cargo run -p pycos-examples --bin rps_node_server -- --no-discover --host 127.0.0.1 --port 9705
//! cargo run -p pycos-examples --bin rps_node_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! On two machines: leave out `--no-discover` and `--host` on both, or
//! give the client `--peer SERVER_IP:9705`.

use pycos_examples::net;
use pycos_examples::rps_node::{self, node_update_rps};
use pycos_net::Rps;

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--name", "node_update_server", "--secret", "update"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let node = args.builder.start().map_err(|err| err.to_string())?;
    println!("server at {}", node.location());
    // Files clients send go where the scripts are run from.
    let scripts = node
        .set_dest_path("rps_update_scripts")
        .map_err(|err| format!("cannot make the scripts' directory: {err}"))?;
    let mut auth = String::new();
    std::io::stdin()
        .read_line(&mut auth)
        .map_err(|err| err.to_string())?;
    let auth = auth.trim();
    if auth.is_empty() {
        return Err("no authentication string".to_owned());
    }
    rps_node::serve(auth, scripts.clone());
    Rps::<node_update_rps>::register().map_err(|err| err.to_string())?;
    println!("scripts go to {}", scripts.display());
    net::each_line_until_quit(|_| {});
    Ok(())
}
