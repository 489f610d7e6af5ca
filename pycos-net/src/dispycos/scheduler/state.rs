//! What the scheduler knows of its client's cluster: nodes, their
//! servers, and the jobs running there.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::Instant;

use pycos::Task;

use crate::Location;
use crate::dispycos::proto::{ClientSpec, Where};
use crate::dispycos::status::{NodeInfo, Status};

/// A node reserved for the client.
#[derive(Debug)]
pub(super) struct NodeRec {
    pub(super) info: NodeInfo,
    pub(super) auth: String,
    pub(super) task: Task,
    pub(super) status: Status,
    pub(super) last_pulse: Instant,
    pub(super) suspended: bool,
    pub(super) abandon_zombie: bool,
    /// The node init task, waiting for `enable_node`.
    pub(super) init: Option<Task>,
}

/// A server process of a node.
#[derive(Debug)]
pub(super) struct ServerRec {
    pub(super) node: Location,
    pub(super) task: Task,
    pub(super) status: Status,
    pub(super) suspended: bool,
    /// CPU jobs running (at most one) and I/O jobs running.
    pub(super) cpu_jobs: usize,
    pub(super) io_jobs: usize,
    /// Assigned but not reported started yet.
    pub(super) pending: usize,
    pub(super) jobs: Vec<Job>,
}

impl ServerRec {
    pub(super) fn usable(&self) -> bool {
        self.status == Status::ServerInitialized || self.status == Status::ServerResumed
    }

    pub(super) fn takes_cpu_job(&self) -> bool {
        self.usable() && !self.suspended && self.cpu_jobs + self.pending == 0
    }

    pub(super) fn load(&self) -> usize {
        self.cpu_jobs + self.io_jobs + self.pending
    }
}

/// A job running at a server.
#[derive(Debug, Clone)]
pub(super) struct Job {
    pub(super) task: Task,
    pub(super) cpu: bool,
}

/// A CPU job waiting for a free server.
#[derive(Debug)]
pub(super) struct Waiting {
    pub(super) at: Option<Where>,
    pub(super) reply: Task,
}

/// The client being served, and its cluster.
#[derive(Debug)]
pub(super) struct Served {
    pub(super) spec: ClientSpec,
    pub(super) nodes: HashMap<Location, NodeRec>,
    pub(super) servers: HashMap<Location, ServerRec>,
    pub(super) waiting: VecDeque<Waiting>,
    pub(super) last_pulse: Instant,
    /// Set once `close` was asked: no new jobs.
    pub(super) closing: Option<Closing>,
    /// Ends reported before the client reported the start (pycos'
    /// "askew" results): applied when the start arrives.
    pub(super) askew: Vec<Task>,
}

/// A close in progress.
#[derive(Debug)]
pub(super) struct Closing {
    pub(super) await_io: bool,
    pub(super) terminate: bool,
    pub(super) reply: Task,
    /// Nodes asked to release the client, not yet released.
    pub(super) releasing: Vec<Location>,
    pub(super) started: Instant,
}

impl Served {
    pub(super) fn new(spec: ClientSpec) -> Served {
        Served {
            spec,
            nodes: HashMap::new(),
            servers: HashMap::new(),
            waiting: VecDeque::new(),
            last_pulse: Instant::now(),
            closing: None,
            askew: Vec::new(),
        }
    }

    /// The node with address `addr`.
    pub(super) fn node_at(&self, addr: IpAddr) -> Option<Location> {
        self.nodes.keys().find(|loc| loc.ip() == addr).copied()
    }

    /// The free server for a CPU job at `at`: the least-loaded node's
    /// (CPU jobs per server), then its first free server.
    pub(super) fn free_cpu_server(&self, at: Option<Where>) -> Option<Location> {
        self.pick(at, ServerRec::takes_cpu_job, |node| self.node_load(node))
    }

    /// The server for an I/O job at `at`: the one with the fewest jobs.
    pub(super) fn io_server(&self, at: Option<Where>) -> Option<Location> {
        self.pick(at, |s| s.usable() && !s.suspended, |_| 0.0)
    }

    fn pick(
        &self,
        at: Option<Where>,
        usable: impl Fn(&ServerRec) -> bool,
        node_load: impl Fn(&Location) -> f64,
    ) -> Option<Location> {
        self.servers
            .iter()
            .filter(|(loc, server)| {
                let node_ok = self
                    .nodes
                    .get(&server.node)
                    .is_some_and(|node| !node.suspended);
                let place_ok = match at {
                    None => true,
                    Some(Where::Node(addr)) => server.node.ip() == addr,
                    Some(Where::Server(want)) => **loc == want,
                };
                node_ok && place_ok && usable(server)
            })
            .min_by(|(la, a), (lb, b)| {
                let by_node = node_load(&a.node).total_cmp(&node_load(&b.node));
                by_node.then(a.load().cmp(&b.load())).then(la.cmp(lb))
            })
            .map(|(loc, _)| *loc)
    }

    /// CPU jobs per server of a node.
    fn node_load(&self, node: &Location) -> f64 {
        let (mut jobs, mut servers) = (0usize, 0usize);
        for server in self.servers.values().filter(|s| s.node == *node) {
            jobs += server.cpu_jobs + server.pending;
            servers += 1;
        }
        if servers == 0 {
            f64::MAX
        } else {
            jobs as f64 / servers as f64
        }
    }

    /// The servers of the node at `node`.
    pub(super) fn servers_of(&self, node: Location) -> Vec<Location> {
        self.servers
            .iter()
            .filter(|(_, server)| server.node == node)
            .map(|(loc, _)| *loc)
            .collect()
    }

    /// Whether `at` names a node or server of this client.
    pub(super) fn knows(&self, at: Where) -> bool {
        match at {
            Where::Node(addr) => self.node_at(addr).is_some(),
            Where::Server(loc) => self.servers.contains_key(&loc),
        }
    }

    /// Jobs still running: CPU ones, and I/O ones when `io`.
    pub(super) fn running(&self, io: bool) -> usize {
        self.servers
            .values()
            .map(|s| s.cpu_jobs + s.pending + if io { s.io_jobs } else { 0 })
            .sum()
    }
}
