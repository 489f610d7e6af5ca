//! The messages between a client, its scheduler, the node daemons and
//! their server processes. All cross the wire (a remote scheduler, the
//! node daemon, the servers are other processes), so each is a registered
//! message type; a reply goes to the `reply` task a request carries.

use pycos::Task;
use serde::{Deserialize, Serialize};

use super::allocate::NodeAllocate;
use super::status::{NodeAvailInfo, NodeInfo, TaskInfo};
use crate::Location;

/// The registered name of the node daemon's task.
pub(crate) const NODE_TASK: &str = "dispycos_node";
/// The registered name of a server process's task.
pub(crate) const SERVER_TASK: &str = "dispycos_server";
/// The registered name of the scheduler's task.
pub(crate) const SCHEDULER_TASK: &str = "dispycos_scheduler";
/// A node daemon's node name ends with this.
pub(crate) const NODE_SUFFIX: &str = "_dispycosnode";

/// A setup function to run (`node_setup`, `server_setup`): a
/// `#[task(remote)]` function of the client's executable, by name, with
/// its encoded arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SetupCall {
    pub(crate) name: String,
    pub(crate) signature: u64,
    pub(crate) args: Vec<u8>,
}

/// What the servers of a client run before taking jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Setup {
    pub(crate) node_setup: Option<SetupCall>,
    pub(crate) server_setup: Option<SetupCall>,
    /// Wait for `enable_server` before running `server_setup`.
    pub(crate) disable_servers: bool,
    /// Replace a server process that ends.
    pub(crate) restart_servers: bool,
}

/// A client, as its scheduler gets it with `Schedule`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ClientSpec {
    /// Random, per client (pycos' `id(client)`, sent with ClientClosed).
    pub(crate) id: u64,
    /// Receives the status messages.
    pub(crate) status: Option<Task>,
    /// The client's agent: pulses, custom allocation.
    pub(crate) agent: Task,
    /// The SHA-256 of the client's executable (hex).
    pub(crate) exe_digest: String,
    /// Where the scheduler's process finds the executable.
    pub(crate) exe_path: String,
    /// Allocation rules, in order (a catch-all comes last).
    pub(crate) allocations: Vec<NodeAllocate>,
    /// The agent answers allocation queries itself.
    pub(crate) custom_allocate: bool,
    /// Nodes to peer with explicitly.
    pub(crate) nodes: Vec<Location>,
    pub(crate) setup: Setup,
    /// Wait for `enable_node` before initialising a node.
    pub(crate) disable_nodes: bool,
    pub(crate) pulse_interval: f64,
    /// 0 turns zombie detection off.
    pub(crate) zombie_period: f64,
    pub(crate) abandon_zombie: bool,
    /// Files the servers need, sent to each node's directory.
    pub(crate) dependencies: Vec<String>,
    /// The executable and dependencies were sent to the scheduler: their
    /// paths are under its node's `dest_path`.
    pub(crate) uploaded: bool,
}

/// Where to run a job: any server of a node, or one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Where {
    /// Any server of the node at this address.
    Node(std::net::IpAddr),
    /// This server.
    Server(Location),
}

impl From<std::net::IpAddr> for Where {
    fn from(addr: std::net::IpAddr) -> Where {
        Where::Node(addr)
    }
}

impl From<Location> for Where {
    fn from(location: Location) -> Where {
        Where::Server(location)
    }
}

impl std::fmt::Display for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Where::Node(addr) => write!(f, "node {addr}"),
            Where::Server(location) => write!(f, "server {location}"),
        }
    }
}

/// A client's run-time change to its cluster.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Control {
    SuspendNode(std::net::IpAddr),
    ResumeNode(std::net::IpAddr),
    SuspendServer(Location),
    ResumeServer(Location),
    EnableNode(std::net::IpAddr, Option<SetupCall>),
    EnableServer(Location, Option<SetupCall>),
    CloseServer {
        server: Location,
        terminate: bool,
        restart: bool,
    },
    CloseNode {
        node: std::net::IpAddr,
        terminate: bool,
        restart: bool,
    },
    NodeAllocate(NodeAllocate),
    AbandonZombie(Option<Where>, bool),
}

/// What a client asks of its scheduler.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Query {
    Nodes,
    Servers,
    Tasks(Option<Where>),
}

/// Everything the scheduler's task receives.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(manual, name = "pycos::dispycos::ToScheduler")]
pub(crate) enum ToScheduler {
    /// Serve this client (after those before it).
    Schedule {
        client: Box<ClientSpec>,
        reply: Task,
    },
    /// A server for a job: answered with `Reply::Assigned` when one is
    /// free (CPU jobs wait), or `Reply::Refused`.
    Run {
        client: u64,
        cpu: bool,
        at: Option<Where>,
        reply: Task,
    },
    /// The client created the job it was assigned a server for.
    Started {
        client: u64,
        cpu: bool,
        server: Location,
        info: Box<TaskInfo>,
    },
    /// The client could not create it: the server's slot is free again.
    Unstarted {
        client: u64,
        cpu: bool,
        server: Location,
    },
    Query {
        client: u64,
        query: Query,
        reply: Task,
    },
    Control {
        client: u64,
        control: Control,
        reply: Task,
    },
    Close {
        client: u64,
        await_io: bool,
        terminate: bool,
        reply: Task,
    },
    /// The client is alive.
    ClientPulse { client: u64 },
    /// From a node daemon.
    Node(NodeReport),
    /// From a server process.
    Server(ServerReport),
    /// From a server process: one of its jobs ended (its server is free;
    /// the value goes to the client, which has the job's handle).
    JobEnded { task: Task },
}

/// What a node daemon tells the scheduler serving its client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum NodeReport {
    Pulse {
        auth: String,
        avail: NodeAvailInfo,
    },
    /// A server process ended; `restarting` if the node replaces it.
    ServerExited {
        auth: String,
        server: Location,
        why: String,
        restarting: bool,
    },
    /// The node closed this client (all its servers have ended).
    Released {
        auth: String,
        location: Location,
    },
}

/// The states a server reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum ServerState {
    Discovered,
    Initialized,
    SetupFailed(String),
    Closed,
}

/// What a server process tells the scheduler.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ServerReport {
    pub(crate) auth: String,
    pub(crate) location: Location,
    pub(crate) node: Location,
    pub(crate) task: Task,
    pub(crate) state: ServerState,
}

/// The scheduler's answers to a client.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(manual, name = "pycos::dispycos::SchedulerReply")]
pub(crate) enum SchedulerReply {
    Scheduled,
    Assigned(Location),
    Refused(String),
    Nodes(Vec<std::net::IpAddr>),
    Servers(Vec<Location>),
    Tasks(Vec<Task>),
    Done(i32),
    Closed,
}

/// What the scheduler sends a client's agent.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(manual, name = "pycos::dispycos::ToAgent")]
pub(crate) enum ToAgent {
    /// The scheduler is alive; the agent answers with `ClientPulse`.
    Pulse { scheduler: Task, client: u64 },
    /// Which CPUs to use on this node (the client's own `allocate`).
    Allocate {
        node: NodeInfo,
        memory: u64,
        disk: u64,
        reply: Task,
    },
    /// These jobs' server died: they are abandoned, for this reason.
    Abandoned { tasks: Vec<Task>, why: String },
}

/// Requests to a node daemon's task.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(manual, name = "pycos::dispycos::ToNode")]
pub(crate) enum ToNode {
    Info {
        reply: Task,
    },
    Reserve {
        client: u64,
        cpus: usize,
        scheduler: Task,
        exe_digest: String,
        pulse_interval: f64,
        reply: Task,
    },
    Setup {
        auth: String,
        setup: Setup,
        exe_name: String,
        reply: Task,
    },
    Release {
        auth: String,
        terminate: bool,
    },
    CloseServer {
        auth: String,
        server: Location,
        terminate: bool,
        restart: bool,
    },
    /// A server process is up: its task.
    ServerUp {
        index: usize,
        task: Task,
    },
    /// Job code asked to close the node (`close_node`).
    CloseNode {
        terminate: bool,
    },
    /// The wait thread saw a server process end.
    Exited {
        index: usize,
        pid: u32,
        why: String,
        status: Option<i32>,
    },
}

/// A node daemon's answers.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(manual, name = "pycos::dispycos::NodeReply")]
pub(crate) enum NodeReply {
    Info(NodeInfo),
    /// `cpus` 0: refused (busy, or out of service). `upload` is where to
    /// send the executable under the node's directory when `have_exe` is
    /// false.
    Reserved {
        cpus: usize,
        auth: String,
        have_exe: bool,
        upload: String,
    },
    SetupDone {
        servers: usize,
    },
    SetupFailed(String),
}

/// Requests to a server process's task.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(manual, name = "pycos::dispycos::ToServer")]
pub(crate) enum ToServer {
    Enable(Option<SetupCall>),
    Close { terminate: bool, restart: bool },
}

/// Registers this module's message types (idempotent).
pub(crate) fn register() {
    use pycos::message::register;
    let results = [
        register::<ToScheduler>(),
        register::<SchedulerReply>(),
        register::<ToAgent>(),
        register::<ToNode>(),
        register::<NodeReply>(),
        register::<ToServer>(),
        register::<super::status::DispycosStatus>(),
        register::<super::status::NodeAvailInfo>(),
    ];
    for result in results {
        if let Err(err) = result {
            tracing::error!(%err, "a dispycos message type's wire name is taken");
        }
    }
}
