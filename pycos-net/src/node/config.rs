//! [`NodeBuilder`]: everything a networked program sets once, at the start
//! of `main`, with pycos' defaults.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

use pycos::Pycos;

use super::{Node, NodeError};

/// pycos' TCP and UDP port.
pub const DEFAULT_PORT: u16 = 9705;

/// Configures and starts this process's [`Node`].
///
/// Defaults follow pycos' `config` module: port 9705 for TCP (falling back
/// to an ephemeral port when taken) and UDP, discovery on, `MsgTimeout`
/// 10 s, `MaxConnectionErrors` 10.
///
/// ```no_run
/// # fn main() -> Result<(), pycos_net::NodeError> {
/// let node = pycos_net::Node::builder()
///     .name("server")
///     .host("127.0.0.1".parse().unwrap())
///     .tcp_port(0)
///     .discover(false)
///     .secret("not for production")
///     .start()?;
/// println!("listening at {}", node.location());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `start`"]
pub struct NodeBuilder {
    pub(crate) name: Option<String>,
    pub(crate) host: IpAddr,
    pub(crate) advertise: Option<IpAddr>,
    pub(crate) tcp_port: u16,
    pub(crate) udp_port: u16,
    pub(crate) discover: bool,
    pub(crate) interfaces: Vec<IpAddr>,
    pub(crate) secret: Option<Vec<u8>>,
    pub(crate) tls: Option<(PathBuf, PathBuf)>,
    pub(crate) tls_ca: Option<PathBuf>,
    pub(crate) msg_timeout: Duration,
    pub(crate) max_connection_errors: u32,
    pub(crate) tick: Option<Duration>,
    pub(crate) max_frame: usize,
    pub(crate) scheduler: Option<Pycos>,
    pub(crate) dest_path: Option<PathBuf>,
    pub(crate) max_file_size: u64,
}

impl Default for NodeBuilder {
    fn default() -> Self {
        NodeBuilder {
            name: None,
            host: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            advertise: None,
            tcp_port: DEFAULT_PORT,
            udp_port: DEFAULT_PORT,
            discover: true,
            interfaces: Vec::new(),
            secret: None,
            tls: None,
            tls_ca: None,
            msg_timeout: Duration::from_secs(10),
            max_connection_errors: 10,
            tick: None,
            max_frame: crate::wire::DEFAULT_MAX_FRAME,
            scheduler: None,
            dest_path: None,
            max_file_size: 0,
        }
    }
}

impl NodeBuilder {
    /// The node's name, as peers see it (default: the program's file name
    /// and process id).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The address to listen on (default `0.0.0.0`, every IPv4 interface).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The address peers are told to reach this node at, when it is not
    /// the listening one (behind NAT, or listening on `0.0.0.0`). Default:
    /// the listening address, or, for `0.0.0.0`, the address of the
    /// interface the default route leaves by (found without sending
    /// anything), else `127.0.0.1`.
    pub fn advertise(mut self, addr: IpAddr) -> Self {
        self.advertise = Some(addr);
        self
    }

    /// The TCP port (default 9705: when taken, an ephemeral port is used
    /// instead, as pycos does; 0 asks for an ephemeral port at once; any
    /// other port must be free).
    pub fn tcp_port(mut self, port: u16) -> Self {
        self.tcp_port = port;
        self
    }

    /// The UDP port of discovery (default 9705).
    pub fn udp_port(mut self, port: u16) -> Self {
        self.udp_port = port;
        self
    }

    /// Whether to find peers by UDP discovery (default on). Off sends and
    /// opens nothing for discovery at all; peers are then added with
    /// [`Node::peer`].
    pub fn discover(mut self, on: bool) -> Self {
        self.discover = on;
        self
    }

    /// The local addresses of the interfaces discovery uses (default: the
    /// interface of the listening or advertised address).
    pub fn interfaces(mut self, addrs: impl IntoIterator<Item = IpAddr>) -> Self {
        self.interfaces = addrs.into_iter().collect();
        self
    }

    /// The shared secret every peer must prove it knows (HMAC-SHA256 in
    /// the handshake; it never crosses the wire). Default: none.
    pub fn secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        self.secret = Some(secret.as_ref().to_vec());
        self
    }

    /// TLS for every link: this node's certificate chain and key (PEM
    /// files). Peers must use TLS too. A peer's certificate is checked
    /// against the peer's IP address (so certificates name their nodes'
    /// addresses) and trusted if it is this node's own certificate (one
    /// certificate shared by the cluster, as pycos uses it) or signed by
    /// the CA of [`tls_ca`](Self::tls_ca). The handshake's proof is bound
    /// to the TLS session (its exporter), so a proof cannot be relayed
    /// into another session.
    pub fn tls(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.tls = Some((cert.into(), key.into()));
        self
    }

    /// The certificates (PEM) that peers' certificates must chain to, in
    /// place of this node's own certificate.
    pub fn tls_ca(mut self, ca: impl Into<PathBuf>) -> Self {
        self.tls_ca = Some(ca.into());
        self
    }

    /// How long a request to a peer may take before it is reported as
    /// timed out (pycos' `MsgTimeout`, default 10 s). Also bounds the
    /// silence after which a peer is taken as gone.
    pub fn msg_timeout(mut self, limit: Duration) -> Self {
        self.msg_timeout = limit;
        self
    }

    /// How many connection attempts in a row may fail before a peer is
    /// Offline (pycos' `MaxConnectionErrors`, default 10).
    pub fn max_connection_errors(mut self, count: u32) -> Self {
        self.max_connection_errors = count.max(1);
        self
    }

    /// How often an idle link sends a tick (default: a fifth of the
    /// message timeout). A link silent for the message timeout is closed.
    pub fn tick(mut self, every: Duration) -> Self {
        self.tick = Some(every);
        self
    }

    /// The largest frame a peer may send (default 16 MiB).
    pub fn max_frame(mut self, bytes: usize) -> Self {
        self.max_frame = bytes.max(1024);
        self
    }

    /// The scheduler that runs the node's own tasks (links, requests) and
    /// whose tasks it serves (default: [`Pycos::instance`]). Running them
    /// beside the program's tasks keeps a remote round trip on one thread
    /// per process, which is what makes it as fast as a raw socket echo;
    /// give it a scheduler of its own to keep busy tasks from delaying the
    /// links.
    pub fn scheduler(mut self, sched: Pycos) -> Self {
        self.scheduler = Some(sched);
        self
    }

    /// Where files other nodes send here go (pycos' `dest_path`; default
    /// `<temp dir>/pycos`). Created when the node starts; later
    /// [`Node::set_dest_path`] calls stay under it.
    pub fn dest_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.dest_path = Some(path.into());
        self
    }

    /// The largest file other nodes may send here, in bytes (pycos'
    /// `max_file_size`; default 0: no limit). A larger one is refused
    /// before anything is written.
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.max_file_size = bytes;
        self
    }

    /// Starts the node: listens, starts discovery if asked, and makes
    /// remote tasks and channels reachable from the scheduler.
    ///
    /// # Errors
    ///
    /// [`NodeError`]: a node runs in this process already, the port is
    /// taken, the TLS files cannot be read, two message types share a
    /// wire name, or `dest_path` cannot be created.
    pub fn start(self) -> Result<Node, NodeError> {
        Node::start(self)
    }

    pub(crate) fn tick_interval(&self) -> Duration {
        self.tick.unwrap_or(self.msg_timeout / 5)
    }

    pub(crate) fn default_name() -> String {
        let program = std::env::args_os()
            .next()
            .map(PathBuf::from)
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "pycos".to_owned());
        format!("{program}-{}", std::process::id())
    }
}
