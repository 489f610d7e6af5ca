//! The command line every networked example shares: where to listen, which
//! peers to link to, discovery and the secret.
//!
//! ```text
//! --name NAME       the node's name
//! --host IP         the address to listen on (default 0.0.0.0)
//! --port N          the TCP port (default 9705; 0: any free port)
//! --udp-port N      the discovery port (default 9705)
//! --peer IP:PORT    a peer to link to (repeatable); for peers on other networks
//! --no-discover     no UDP discovery (nothing is sent)
//! --secret TEXT     the shared secret every peer must know
//! --msg-timeout S   seconds a request may take (pycos' MsgTimeout, default 10)
//! --max-connection-errors N
//!                   failed connection attempts in a row before a peer is
//!                   Offline (default 10)
//! --dest-path DIR   where files sent by peers go (pycos' dest_path,
//!                   default <temp dir>/pycos)
//! ```
//!
//! Whatever is left over is the example's own arguments.

use std::net::IpAddr;

use pycos::Msg;
use pycos_net::{Located, Location, Node, NodeBuilder};

/// What the command line asked for.
#[derive(Debug)]
pub struct NetArgs {
    /// The node to start.
    pub builder: NodeBuilder,
    /// The peers to link to at start.
    pub peers: Vec<Location>,
    /// The arguments left for the example.
    pub rest: Vec<String>,
}

/// Parses `std::env::args()` (after the program name).
///
/// # Errors
///
/// A text naming the bad option.
pub fn parse() -> Result<NetArgs, String> {
    parse_from(std::env::args().skip(1))
}

/// Parses `args`.
///
/// # Errors
///
/// A text naming the bad option.
pub fn parse_from(args: impl IntoIterator<Item = String>) -> Result<NetArgs, String> {
    let mut builder = Node::builder();
    let mut peers = Vec::new();
    let mut rest = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--name" => builder = builder.name(value("--name")?),
            "--host" => builder = builder.host(parse_value::<IpAddr>("--host", &value("--host")?)?),
            "--port" => builder = builder.tcp_port(parse_value("--port", &value("--port")?)?),
            "--udp-port" => {
                builder = builder.udp_port(parse_value("--udp-port", &value("--udp-port")?)?);
            }
            "--peer" => peers.push(parse_value("--peer", &value("--peer")?)?),
            "--no-discover" => builder = builder.discover(false),
            "--secret" => builder = builder.secret(value("--secret")?),
            "--msg-timeout" => {
                let secs: f64 = parse_value("--msg-timeout", &value("--msg-timeout")?)?;
                if !(secs.is_finite() && secs > 0.0) {
                    return Err(format!("--msg-timeout {secs}: not a positive number"));
                }
                builder = builder.msg_timeout(std::time::Duration::from_secs_f64(secs));
            }
            "--max-connection-errors" => {
                builder = builder.max_connection_errors(parse_value(
                    "--max-connection-errors",
                    &value("--max-connection-errors")?,
                )?);
            }
            "--dest-path" => builder = builder.dest_path(value("--dest-path")?),
            _ => rest.push(arg),
        }
    }
    Ok(NetArgs {
        builder,
        peers,
        rest,
    })
}

fn parse_value<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|err| format!("{name} {text}: {err}"))
}

impl NetArgs {
    /// The example's argument at `index` as a number of seconds (finite,
    /// not negative), `default` when there is none.
    ///
    /// # Errors
    ///
    /// `WHAT "TEXT" is not a number of seconds`.
    pub fn seconds(&self, index: usize, what: &str, default: f64) -> Result<f64, String> {
        match self.rest.get(index) {
            Some(text) => text
                .parse::<f64>()
                .ok()
                .filter(|secs| secs.is_finite() && *secs >= 0.0)
                .ok_or_else(|| format!("{what} {text:?} is not a number of seconds")),
            None => Ok(default),
        }
    }
}

/// This thread's node, once linked to the peers given (in a task: linking
/// waits for the handshake).
///
/// # Errors
///
/// `no node` outside a started node, or a peer's error, as text.
pub async fn linked(peers: &[Location]) -> Result<Node, String> {
    let node = Node::current().ok_or("no node")?;
    for &peer in peers {
        node.peer(peer).await.map_err(|err| err.to_string())?;
    }
    Ok(node)
}

/// A message as one line of text, for the examples' output: strings and
/// numbers as they are, anything else in its `Debug` form.
pub fn describe(msg: &Msg) -> String {
    if let Some(text) = msg.downcast_ref::<String>() {
        return text.clone();
    }
    if let Some(text) = msg.downcast_ref::<&str>() {
        return (*text).to_owned();
    }
    macro_rules! numbers {
        ($($t:ty),*) => {$(
            if let Some(n) = msg.downcast_ref::<$t>() {
                return n.to_string();
            }
        )*};
    }
    numbers!(
        i8, i16, i32, i64, u8, u16, u32, u64, usize, isize, f32, f64, bool, char
    );
    format!("{msg:?}")
}

/// Where `task` runs, printed: its node's location (`ip:port`), this
/// node's for a local task ([`Located`], pycos' `task.location`).
pub fn task_location<R>(task: &pycos::Task<R>) -> String {
    printed(task.location())
}

/// Where `channel` lives, as [`task_location`].
pub fn channel_location(channel: &pycos::Channel) -> String {
    printed(channel.location())
}

fn printed(location: Option<Location>) -> String {
    location.map_or_else(|| "here".to_owned(), |at| at.to_string())
}

/// Reads standard input until a line is `quit` or `exit` (any case) or
/// input ends, handing every other non-empty line to `each`.
pub fn each_line_until_quit(mut each: impl FnMut(String)) {
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { return };
        let line = line.trim();
        match line.to_lowercase().as_str() {
            "quit" | "exit" => return,
            "" => {}
            _ => each(line.to_owned()),
        }
    }
}
