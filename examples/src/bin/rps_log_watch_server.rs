//! Port of pycos' `rps_log_watch_server.py`: publishes the RPS
//! [`rps_log_monitor`](fn@rps_log_monitor): each call (one per watching client) creates a
//! task here that runs `tail -F FILE | grep -i --line-buffered PATTERN`
//! behind one `AsyncPipe` and streams every line it reads to the
//! client's task, until the client closes its proxy (which terminates
//! the task; the pipeline is then killed and reaped) or cannot be
//! reached. As `tail`, it starts with the file's last ten lines.
//!
//! Arguments: the file (default `/var/log/auth.log`) and the pattern
//! (default `failed`), as pycos'. The node is named `server` and uses the
//! secret `LogMon`, as pycos' (`--name`, `--secret`). Run one on every
//! machine whose log is to be watched. `quit`, `exit` or the end of input
//! stops it.
//!
//! Output, one line each: `server at IP:PORT` once the RPS is
//! registered; then per client `watching FILE for CLIENT`, and at the end
//! of that watch `stopped watching FILE for CLIENT` and `pipeline of FILE
//! ended`.
//!
//! On one machine, over loopback:
//!
//! ```text
//! cargo run -p pycos-examples --bin rps_log_watch_server -- --no-discover --host 127.0.0.1 --port 9705 /tmp/test.log error
//! cargo run -p pycos-examples --bin rps_log_watch_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! echo "an ERROR line" >> /tmp/test.log
//! ```
//!
//! On several machines: leave out `--no-discover` and `--host` everywhere
//! (the client watches every server that discovery finds), or give the
//! client a `--peer SERVER_IP:9705` per server.

use std::path::PathBuf;

use pycos_examples::net;
use pycos_examples::rps_log_watch::{self, rps_log_monitor};
use pycos_net::Rps;

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--name", "server", "--secret", "LogMon"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    let file = args
        .rest
        .first()
        .map_or("/var/log/auth.log", String::as_str);
    let pattern = args.rest.get(1).map_or("failed", String::as_str);
    rps_log_watch::watch(PathBuf::from(file), pattern.to_owned());
    let node = args.builder.start().map_err(|err| err.to_string())?;
    Rps::<rps_log_monitor>::register().map_err(|err| err.to_string())?;
    println!("server at {}", node.location());
    net::each_line_until_quit(|_| {});
    Ok(())
}
