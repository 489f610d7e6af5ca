//! A dispycos node on loopback for the dispycos examples: the example's
//! own executable, started again as a `dispycosnode` (see
//! [`pycos_net::dispycos::node_main`]), so an example runs on one machine
//! with one command and no other program built.
//!
//! An example calls [`serve_if_node`] first in `main`, then
//! [`ClusterOptions::parse`] and [`ClusterOptions::start`] for the
//! shared options:
//!
//! ```text
//! --node IP:PORT   a running dispycosnode to use (repeatable); without
//!                  it the example starts its own node on 127.0.0.1
//! --servers N      the server processes of that own node (default 2)
//! --secret TEXT    the cluster's secret
//! ```
//!
//! and starts this process's node on 127.0.0.1 (discovery off: nothing
//! leaves the machine). The own node is killed by its pid when the
//! [`Cluster`] drops, and by the kernel if the example dies (the
//! parent-death signal is set).

use std::any::Any;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use pycos::{Task, TaskSpec};
use pycos_net::dispycos::{Client, ClientBuilder};
use pycos_net::{Location, Node};

use crate::dispycos_a::DynError;

/// Runs an example on a cluster with a client of the default options:
/// reads the shared options, gives the example's own arguments to
/// `parse_rest`, starts the cluster, and runs `client_proc` with the
/// client and what `parse_rest` gave, until it ends.
///
/// # Errors
///
/// A bad argument, a cluster that cannot start, or how `client_proc`
/// failed.
pub fn run<A, R: Any + Send + Sync + Clone>(
    parse_rest: impl FnOnce(&[String]) -> Result<A, String>,
    client_proc: impl FnOnce(Client, A) -> TaskSpec<R>,
) -> Result<(), DynError> {
    let (cluster, client, args) = start_cluster(parse_rest)?;
    cluster.run(client_proc(client, args))
}

/// Reads the shared options, gives the example's own arguments to
/// `parse_rest`, and starts the cluster: it, a client of the default
/// options, and what `parse_rest` gave.
///
/// # Errors
///
/// A bad argument, or a cluster that cannot start.
pub fn start_cluster<A>(
    parse_rest: impl FnOnce(&[String]) -> Result<A, String>,
) -> Result<(Cluster, Client, A), DynError> {
    let options = ClusterOptions::parse()?;
    let args = parse_rest(options.rest())?;
    let cluster = options.start()?;
    let client = cluster.client().build()?;
    Ok((cluster, client, args))
}

/// The environment variable that makes an example run as a node.
const NODE_ROLE: &str = "PYCOS_EXAMPLE_NODE_ARGS";

/// The environment variable that makes an example run as a standalone
/// scheduler (`dispycos`).
const SCHEDULER_ROLE: &str = "PYCOS_EXAMPLE_SCHEDULER_ARGS";

/// Runs this process as a node daemon (or a standalone scheduler) when an
/// example started it so; gives the exit status. `None`: run the example.
pub fn serve_if_node() -> Option<i32> {
    let args = |role: &str| -> Vec<String> {
        std::env::var(role)
            .unwrap_or_default()
            .split('\u{1f}')
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let result = if std::env::var_os(NODE_ROLE).is_some() {
        pycos_net::dispycos::node_main(args(NODE_ROLE))
    } else if std::env::var_os(SCHEDULER_ROLE).is_some() {
        pycos_net::dispycos::scheduler_main(args(SCHEDULER_ROLE))
    } else {
        return None;
    };
    Some(match result {
        Ok(()) => 0,
        Err(why) => {
            eprintln!("error: {why}");
            1
        }
    })
}

/// A standalone scheduler (`dispycos`) started by the example on
/// 127.0.0.1, killed by its pid when dropped.
#[derive(Debug)]
pub struct LocalScheduler {
    child: Child,
    location: Location,
}

impl LocalScheduler {
    /// Starts a scheduler on a free port of 127.0.0.1, with `secret`,
    /// peering the node at `node`.
    ///
    /// # Errors
    ///
    /// When the process cannot be started.
    pub fn start(
        secret: &str,
        node: Location,
        dest: &std::path::Path,
    ) -> std::io::Result<LocalScheduler> {
        let port = free_port()?;
        let args = [
            "-i".to_owned(),
            "127.0.0.1".to_owned(),
            "--scheduler_port".to_owned(),
            port.to_string(),
            "--node".to_owned(),
            node.ip().to_string(),
            "--node_port".to_owned(),
            node.port().to_string(),
            "--dest_path".to_owned(),
            dest.display().to_string(),
            "--daemon".to_owned(),
            "-s".to_owned(),
            secret.to_owned(),
        ];
        let mut command = Command::new(std::env::current_exe()?);
        command
            .env(SCHEDULER_ROLE, args.join("\u{1f}"))
            .stdin(Stdio::null());
        let child = pycos_net::dispycos::spawn_tied(&mut command)?;
        let location = Location::new(std::net::Ipv4Addr::LOCALHOST.into(), port);
        Ok(LocalScheduler { child, location })
    }

    /// Where the scheduler listens.
    pub fn location(&self) -> Location {
        self.location
    }
}

impl Drop for LocalScheduler {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A node process started by the example.
#[derive(Debug)]
pub struct LocalNode {
    child: Child,
    location: Location,
    servers: usize,
}

impl LocalNode {
    /// Starts a node with `servers` server processes on 127.0.0.1, its
    /// daemon at `port` and the servers on the ports after it, with the
    /// secret `secret`, its files under `dest`.
    ///
    /// # Errors
    ///
    /// When the process cannot be started.
    pub fn start(
        servers: usize,
        port: u16,
        secret: &str,
        dest: &std::path::Path,
    ) -> std::io::Result<LocalNode> {
        let args = [
            "-c".to_owned(),
            servers.to_string(),
            "-i".to_owned(),
            "127.0.0.1".to_owned(),
            "--node_ports".to_owned(),
            format!("{port}-{}", port + servers as u16),
            "--dest_path".to_owned(),
            dest.display().to_string(),
            "--clean".to_owned(),
            "--daemon".to_owned(),
            "-s".to_owned(),
            secret.to_owned(),
        ];
        let mut command = Command::new(std::env::current_exe()?);
        command
            .env(NODE_ROLE, args.join("\u{1f}"))
            .stdin(Stdio::null());
        let child = pycos_net::dispycos::spawn_tied(&mut command)?;
        let location = Location::new(std::net::Ipv4Addr::LOCALHOST.into(), port);
        Ok(LocalNode {
            child,
            location,
            servers,
        })
    }

    /// The node daemon's location.
    pub fn location(&self) -> Location {
        self.location
    }

    /// Its number of server processes.
    pub fn servers(&self) -> usize {
        self.servers
    }

    /// The node process's pid.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for LocalNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The shared options of a dispycos example, read before anything starts
/// (so a bad option of the example's own is reported first).
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    nodes: Vec<Location>,
    servers: usize,
    secret: String,
    rest: Vec<String>,
}

impl ClusterOptions {
    /// Reads the shared options from `std::env::args()`.
    ///
    /// # Errors
    ///
    /// A text naming the bad option.
    pub fn parse() -> Result<ClusterOptions, String> {
        ClusterOptions::parse_from(std::env::args().skip(1))
    }

    /// Reads the shared options from `args`; the others are left in
    /// [`rest`](ClusterOptions::rest).
    ///
    /// # Errors
    ///
    /// A text naming the bad option.
    pub fn parse_from(args: impl IntoIterator<Item = String>) -> Result<ClusterOptions, String> {
        let (mut nodes, mut servers, mut secret, mut rest) = (Vec::new(), 2, None, Vec::new());
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
            match arg.as_str() {
                "--node" => {
                    let text = value()?;
                    nodes.push(text.parse().map_err(|e| format!("--node {text}: {e}"))?);
                }
                "--servers" => {
                    let text = value()?;
                    servers = text.parse().map_err(|e| format!("--servers {text}: {e}"))?;
                }
                "--secret" => secret = Some(value()?),
                _ => rest.push(arg),
            }
        }
        let secret = secret.unwrap_or_else(|| format!("example-{}", std::process::id()));
        Ok(ClusterOptions {
            nodes,
            servers,
            secret,
            rest,
        })
    }

    /// The arguments left for the example.
    pub fn rest(&self) -> &[String] {
        &self.rest
    }

    /// Starts this process's node and, without `--node`, a node of its
    /// own.
    ///
    /// # Errors
    ///
    /// Why a node cannot start.
    pub fn start(self) -> Result<Cluster, String> {
        let ClusterOptions {
            mut nodes,
            servers,
            secret,
            ..
        } = self;
        Node::builder()
            .host(std::net::Ipv4Addr::LOCALHOST.into())
            .tcp_port(0)
            .discover(false)
            .secret(&secret)
            .start()
            .map_err(|e| e.to_string())?;
        let dest =
            std::env::temp_dir().join(format!("pycos-example-cluster-{}", std::process::id()));
        let own = if nodes.is_empty() {
            let port = free_port().map_err(|e| format!("no free port: {e}"))?;
            let node = LocalNode::start(servers, port, &secret, &dest)
                .map_err(|e| format!("cannot start a node: {e}"))?;
            println!(
                "node {} started (pid {}) with {servers} servers",
                node.location(),
                node.pid()
            );
            nodes.push(node.location());
            Some(node)
        } else {
            None
        };
        Ok(Cluster {
            nodes,
            own,
            dest,
            secret,
        })
    }
}

/// The cluster an example runs on: this process's node, and the node it
/// started itself, if any.
#[derive(Debug)]
pub struct Cluster {
    nodes: Vec<Location>,
    own: Option<LocalNode>,
    dest: PathBuf,
    secret: String,
}

impl Cluster {
    /// A client builder that reaches the cluster's nodes.
    pub fn client(&self) -> ClientBuilder {
        self.nodes
            .iter()
            .fold(Client::builder(), |builder, node| builder.peer(*node))
    }

    /// Starts a standalone scheduler (`dispycos`) for the cluster's
    /// first node, with the cluster's secret.
    ///
    /// # Errors
    ///
    /// When the process cannot be started.
    pub fn start_scheduler(&self) -> std::io::Result<LocalScheduler> {
        LocalScheduler::start(&self.secret, self.nodes[0], &self.dest.join("scheduler"))
    }

    /// The node the example started itself, if it did.
    pub fn own_node(&self) -> Option<&LocalNode> {
        self.own.as_ref()
    }

    /// Runs `spec` (the example's client task) to its end, then stops the
    /// cluster's own processes.
    ///
    /// # Errors
    ///
    /// How the task failed.
    pub fn run<R: Any + Send + Sync + Clone>(self, spec: TaskSpec<R>) -> Result<(), DynError> {
        self.wait_for(Task::new(spec))
    }

    /// Waits for `task` to end, then stops the cluster's own processes.
    ///
    /// # Errors
    ///
    /// How the task failed.
    pub fn wait_for<R: Any + Send + Sync + Clone>(self, task: Task<R>) -> Result<(), DynError> {
        let result = task.value();
        drop(self);
        result.map_err(|err| err.to_string())?;
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.own = None; // kills the node (and with it its servers)
        let _ = std::fs::remove_dir_all(&self.dest);
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
