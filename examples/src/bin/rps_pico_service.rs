//! Port of pycos' `rps_pico_service.py`: publishes the RPS
//! [`pico_service`](fn@pico_service) (the time at the server), so that each call of a
//! client creates a new task here that serves one request (compare
//! `pico_service_task`, where one task serves them all).
//!
//! As in pycos, the node is named `pico_server` and uses the secret
//! `PycOS` (`--name` and `--secret` change them). An optional argument
//! sets the longest time a call takes, in seconds (default 2; the
//! shortest is a quarter of it, as pycos' 0.5 to 2 s). `quit`, `exit` or
//! the end of input stops the service.
//!
//! Output, one line: `server at IP:PORT` once the RPS is registered.
//!
//! On one machine, over loopback:
//!
//! ```text
//! cargo run -p pycos-examples --bin rps_pico_service -- --no-discover --host 127.0.0.1 --port 9705
//! cargo run -p pycos-examples --bin rps_pico_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! On two machines: leave out `--no-discover` and `--host` on both
//! (discovery finds the service on the local network), or give the
//! client `--peer SERVER_IP:9705`.

use pycos_examples::net;
use pycos_examples::rps_pico::{self, pico_service};
use pycos_net::Rps;

#[pycos::main]
fn main() -> Result<(), String> {
    let defaults = ["--name", "pico_server", "--secret", "PycOS"].map(String::from);
    let args = net::parse_from(defaults.into_iter().chain(std::env::args().skip(1)))?;
    rps_pico::set_longest_delay(args.seconds(0, "the longest delay", 2.0)?);
    let node = args.builder.start().map_err(|err| err.to_string())?;
    Rps::<pico_service>::register().map_err(|err| err.to_string())?;
    println!("server at {}", node.location());
    net::each_line_until_quit(|_| {});
    Ok(())
}
