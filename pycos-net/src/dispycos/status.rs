//! The status messages a client's status task receives (pycos'
//! `DispycosStatus` and the `Scheduler.*` constants), and what they carry.

use std::net::IpAddr;

use pycos::Task;
use serde::{Deserialize, Serialize};

use crate::Location;

/// What happened, as pycos numbers it (`Scheduler.NodeDiscovered` = 2 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Status {
    /// The node was ignored by allocation (never sent; pycos' internal 1).
    NodeIgnore = 1,
    /// A node was found and reserved for this client.
    NodeDiscovered = 2,
    /// The node runs this client's servers.
    NodeInitialized = 3,
    /// The node takes no new jobs.
    NodeSuspended = 4,
    /// The node takes jobs again.
    NodeResumed = 5,
    /// The node was closed for this client.
    NodeClosed = 6,
    /// The node went away.
    NodeDisconnected = 7,
    /// The node was silent for the zombie period; its jobs were abandoned.
    NodeAbandoned = 8,
    /// A server process started (its setup is next).
    ServerDiscovered = 12,
    /// A server ran its setup and takes jobs.
    ServerInitialized = 13,
    /// The server takes no new jobs.
    ServerSuspended = 14,
    /// The server takes jobs again.
    ServerResumed = 15,
    /// The server was closed.
    ServerClosed = 16,
    /// The server went away (its process ended).
    ServerDisconnected = 17,
    /// The server died or was silent for the zombie period; its jobs were
    /// abandoned.
    ServerAbandoned = 18,
    /// A job started (`info` is a [`TaskInfo`]).
    TaskStarted = 21,
    /// The client was closed (`info` is the client's id).
    ClientClosed = 32,
}

impl Status {
    /// pycos' number for the status.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A status message (pycos' `DispycosStatus(status, info)`).
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(manual, name = "pycos::dispycos::DispycosStatus")]
pub struct DispycosStatus {
    /// What happened.
    pub status: Status,
    /// To what: the node, server, job or client.
    pub info: StatusInfo,
}

/// What a [`DispycosStatus`] is about.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum StatusInfo {
    /// A node status: the node.
    Node(NodeInfo),
    /// A server status: the server's location.
    Server(Location),
    /// `TaskStarted`: the job.
    Task(TaskInfo),
    /// `ClientClosed`: the client's id.
    Client(u64),
}

impl StatusInfo {
    /// The server's location, for a server status.
    pub fn server(&self) -> Option<Location> {
        match self {
            StatusInfo::Server(location) => Some(*location),
            _ => None,
        }
    }

    /// The node, for a node status.
    pub fn node(&self) -> Option<&NodeInfo> {
        match self {
            StatusInfo::Node(node) => Some(node),
            _ => None,
        }
    }

    /// The job, for `TaskStarted`.
    pub fn task(&self) -> Option<&TaskInfo> {
        match self {
            StatusInfo::Task(task) => Some(task),
            _ => None,
        }
    }
}

/// A node, as the scheduler knows it (pycos' `DispycosNodeInfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    /// The node's name (`<name>_dispycosnode`).
    pub name: String,
    /// The node daemon's location.
    pub location: Location,
    /// The CPUs (server processes) the node offers.
    pub cpus: usize,
    /// The node's platform text (lowercase: OS, kernel, architecture).
    pub platform: String,
    /// The node's latest availability reading.
    pub avail: Option<NodeAvailInfo>,
}

impl NodeInfo {
    /// The node's address (pycos' `addr`).
    pub fn addr(&self) -> IpAddr {
        self.location.ip()
    }
}

/// A node's availability (pycos' `DispycosNodeAvailInfo`), sent with its
/// pulses. Read from `/proc` on Linux, so the fields are filled there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, pycos::Message)]
#[message(manual, name = "pycos::dispycos::DispycosNodeAvailInfo")]
pub struct NodeAvailInfo {
    /// The node daemon's location.
    pub location: Location,
    /// Busy percentage of all CPUs since the previous reading.
    pub cpu: Option<f32>,
    /// Memory available, in bytes.
    pub memory: Option<u64>,
    /// Disk space available under the node's directory, in bytes.
    pub disk: Option<u64>,
    /// Swap in use, as a percentage.
    pub swap: Option<f32>,
}

/// A job that started (pycos' `DispycosTaskInfo`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskInfo {
    /// The job's task.
    pub task: Task,
    /// The server running it.
    pub server: Location,
    /// The remote function's name.
    pub function: String,
    /// The encoded argument tuple; [`TaskInfo::args`] decodes it.
    pub encoded_args: Vec<u8>,
    /// The argument tuple as JSON text (`[7,"x"]`), for people to read;
    /// empty when the arguments do not render as JSON.
    pub args_text: String,
    /// When it started, in seconds since the Unix epoch.
    pub start_time: f64,
}

impl TaskInfo {
    /// The argument tuple, decoded as `A` (the function's argument types).
    ///
    /// # Errors
    ///
    /// When `A` is not the function's argument tuple.
    pub fn args<A: serde::de::DeserializeOwned>(&self) -> Result<A, crate::wire::DecodeError> {
        crate::wire::decode(&self.encoded_args, crate::wire::DEFAULT_MAX_FRAME)
    }
}
