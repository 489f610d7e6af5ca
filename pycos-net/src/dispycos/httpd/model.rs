//! What the dashboard knows of the cluster, built from the client's status
//! messages alone (as pycos' httpd does): nodes by address, their servers,
//! the jobs running on each, and the counts, latencies and end times the
//! charts and `/metrics` show.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use pycos::MonitorStatus;

use super::stats::{Latency, Series};
use crate::Location;
use crate::dispycos::{DispycosStatus, NodeAvailInfo, NodeInfo, Status, StatusInfo, TaskInfo};

/// A node's or server's status as the pages name it (pycos' strings;
/// Resumed shows as Initialized).
pub(crate) fn status_name(status: Status) -> &'static str {
    match status {
        Status::NodeIgnore => "Ignore",
        Status::NodeDiscovered | Status::ServerDiscovered => "Discovered",
        Status::NodeInitialized
        | Status::NodeResumed
        | Status::ServerInitialized
        | Status::ServerResumed => "Initialized",
        Status::NodeSuspended | Status::ServerSuspended => "Suspended",
        Status::NodeClosed | Status::ServerClosed | Status::ClientClosed => "Closed",
        Status::NodeDisconnected | Status::ServerDisconnected => "Disconnected",
        Status::NodeAbandoned | Status::ServerAbandoned => "Abandoned",
        Status::TaskStarted => "Running",
    }
}

/// Whether a server in this state may still run jobs.
fn is_live(status: &str) -> bool {
    matches!(status, "Discovered" | "Initialized" | "Suspended")
}

/// Jobs started and ended, for a node, a server or the whole cluster.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) submitted: u64,
    pub(crate) done: u64,
    pub(crate) failed: u64,
}

impl Counts {
    pub(crate) fn running(&self) -> u64 {
        self.submitted.saturating_sub(self.done + self.failed)
    }

    fn end(&mut self, ok: bool) {
        if ok {
            self.done += 1;
        } else {
            self.failed += 1;
        }
    }
}

#[derive(Debug)]
pub(crate) struct NodeRec {
    pub(crate) addr: IpAddr,
    pub(crate) name: String,
    pub(crate) status: &'static str,
    pub(crate) cpus: usize,
    pub(crate) platform: String,
    pub(crate) avail: Option<NodeAvailInfo>,
    pub(crate) update_time: f64,
    /// The model's sequence number at the node's latest change.
    pub(crate) seq: u64,
    pub(crate) counts: Counts,
    pub(crate) servers: BTreeMap<Location, ServerRec>,
}

impl NodeRec {
    fn new(addr: IpAddr, now: f64) -> NodeRec {
        NodeRec {
            addr,
            name: String::new(),
            status: "Discovered",
            cpus: 0,
            platform: String::new(),
            avail: None,
            update_time: now,
            seq: 0,
            counts: Counts::default(),
            servers: BTreeMap::new(),
        }
    }

    /// The servers that may still run jobs.
    pub(crate) fn live_servers(&self) -> usize {
        self.servers.values().filter(|s| is_live(s.status)).count()
    }

    fn learn(&mut self, info: &NodeInfo) {
        self.name.clone_from(&info.name);
        self.cpus = info.cpus;
        self.platform.clone_from(&info.platform);
        if info.avail.is_some() {
            self.avail.clone_from(&info.avail);
        }
    }
}

#[derive(Debug)]
pub(crate) struct ServerRec {
    pub(crate) location: Location,
    pub(crate) status: &'static str,
    pub(crate) update_time: f64,
    pub(crate) counts: Counts,
    /// The running jobs, in the order they started.
    pub(crate) jobs: BTreeMap<u64, Job>,
}

/// A running job.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// How the pages and `/terminate_tasks` name it (`name/id@ip:port`).
    pub(crate) key: String,
    pub(crate) task: pycos::Task,
    pub(crate) function: String,
    pub(crate) args: String,
    pub(crate) start_time: f64,
}

/// Where a running job is kept.
#[derive(Debug, Clone, Copy)]
struct JobPlace {
    server: Location,
    order: u64,
}

/// The cluster as the dashboard shows it.
#[derive(Debug)]
pub(crate) struct Model {
    pub(crate) nodes: BTreeMap<IpAddr, NodeRec>,
    /// Bumped at every change of a node; each node keeps the value of its
    /// latest change, so a page asks for what changed since the last it saw.
    seq: u64,
    /// Nodes changed since the last `/cluster_updates` without `since`.
    updated: BTreeSet<IpAddr>,
    jobs: HashMap<String, JobPlace>,
    next_order: u64,
    pub(crate) counts: Counts,
    pub(crate) latency: Latency,
    pub(crate) ended: Series,
    pub(crate) poll_sec: f64,
    pub(crate) show_task_args: bool,
}

impl Model {
    pub(crate) fn new(poll_sec: f64, show_task_args: bool) -> Model {
        Model {
            nodes: BTreeMap::new(),
            seq: 0,
            updated: BTreeSet::new(),
            jobs: HashMap::new(),
            next_order: 0,
            counts: Counts::default(),
            latency: Latency::default(),
            ended: Series::default(),
            poll_sec: clamp_poll(poll_sec),
            show_task_args,
        }
    }

    /// Takes one message the client's status task received; `false` for a
    /// message the dashboard does not follow.
    pub(crate) fn apply(&mut self, msg: &pycos::Msg, now: f64) -> bool {
        if let Some(status) = msg.downcast_ref::<DispycosStatus>() {
            self.on_status(status, now);
        } else if let Some(avail) = msg.downcast_ref::<NodeAvailInfo>() {
            let node = self.node(avail.location.ip(), now);
            node.avail = Some(avail.clone());
            self.touch(avail.location.ip(), now);
        } else if let Some(end) = msg.downcast_ref::<MonitorStatus>() {
            self.on_end(end, now);
        } else {
            return false;
        }
        true
    }

    fn on_status(&mut self, status: &DispycosStatus, now: f64) {
        match &status.info {
            StatusInfo::Node(info) => {
                let node = self.node(info.addr(), now);
                node.learn(info);
                node.status = status_name(status.status);
                self.touch(info.addr(), now);
            }
            StatusInfo::Server(location) => {
                let node = self.node(location.ip(), now);
                let server = server_in(node, *location, now);
                server.status = status_name(status.status);
                server.update_time = now;
                self.touch(location.ip(), now);
            }
            StatusInfo::Task(info) => self.on_start(info, now),
            StatusInfo::Client(_) => {}
        }
    }

    fn on_start(&mut self, info: &TaskInfo, now: f64) {
        let key = info.task.to_string();
        let order = self.next_order;
        self.next_order += 1;
        let job = Job {
            key: key.clone(),
            task: info.task.clone(),
            function: info.function.clone(),
            args: info.args_text.clone(),
            start_time: info.start_time,
        };
        let node = self.node(info.server.ip(), now);
        node.counts.submitted += 1;
        let server = server_in(node, info.server, now);
        server.counts.submitted += 1;
        server.update_time = now;
        server.jobs.insert(order, job);
        self.counts.submitted += 1;
        self.jobs.insert(
            key,
            JobPlace {
                server: info.server,
                order,
            },
        );
        self.touch(info.server.ip(), now);
    }

    fn on_end(&mut self, end: &MonitorStatus, now: f64) {
        let Some(place) = self.jobs.remove(&end.task.to_string()) else {
            return; // not a job of this client's (or already ended)
        };
        let ok = end.result.is_ok();
        let Some(node) = self.nodes.get_mut(&place.server.ip()) else {
            return;
        };
        node.counts.end(ok);
        if let Some(server) = node.servers.get_mut(&place.server) {
            server.counts.end(ok);
            server.update_time = now;
            if let Some(job) = server.jobs.remove(&place.order) {
                self.latency.record((now - job.start_time).max(0.0));
            }
        }
        self.counts.end(ok);
        self.ended.record(now);
        self.touch(place.server.ip(), now);
    }

    fn node(&mut self, addr: IpAddr, now: f64) -> &mut NodeRec {
        self.nodes
            .entry(addr)
            .or_insert_with(|| NodeRec::new(addr, now))
    }

    fn touch(&mut self, addr: IpAddr, now: f64) {
        self.seq += 1;
        if let Some(node) = self.nodes.get_mut(&addr) {
            node.seq = self.seq;
            node.update_time = now;
        }
        self.updated.insert(addr);
    }

    /// The nodes changed since the last call (pycos' `cluster_updates`).
    pub(crate) fn take_updates(&mut self) -> Vec<&NodeRec> {
        let updated = std::mem::take(&mut self.updated);
        updated.iter().filter_map(|a| self.nodes.get(a)).collect()
    }

    /// The nodes changed after `seq`.
    pub(crate) fn changed_since(&self, seq: u64) -> impl Iterator<Item = &NodeRec> {
        self.nodes.values().filter(move |n| n.seq > seq)
    }

    /// The server at `location`, if known.
    pub(crate) fn server(&self, location: Location) -> Option<(&NodeRec, &ServerRec)> {
        let node = self.nodes.get(&location.ip())?;
        Some((node, node.servers.get(&location)?))
    }

    /// The running job named `key`.
    pub(crate) fn job(&self, key: &str) -> Option<&Job> {
        let place = self.jobs.get(key)?;
        let (_, server) = self.server(place.server)?;
        server.jobs.get(&place.order)
    }

    /// The servers that may still run jobs, cluster-wide.
    pub(crate) fn live_servers(&self) -> usize {
        self.nodes.values().map(NodeRec::live_servers).sum()
    }

    pub(crate) fn set_poll_sec(&mut self, secs: f64) {
        self.poll_sec = clamp_poll(secs);
    }
}

/// The server at `location` of `node`, added if new.
fn server_in(node: &mut NodeRec, location: Location, now: f64) -> &mut ServerRec {
    node.servers.entry(location).or_insert_with(|| ServerRec {
        location,
        status: "Discovered",
        update_time: now,
        counts: Counts::default(),
        jobs: BTreeMap::new(),
    })
}

/// pycos polls no faster than once a second; a value that is not a number
/// keeps the default.
fn clamp_poll(secs: f64) -> f64 {
    if secs.is_nan() {
        10.0
    } else {
        secs.clamp(1.0, 3600.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pycos::{Msg, TaskError};

    fn node_status(status: Status, addr: &str) -> Msg {
        Msg::new(DispycosStatus {
            status,
            info: StatusInfo::Node(NodeInfo {
                name: "n_dispycosnode".into(),
                location: format!("{addr}:9706").parse().unwrap(),
                cpus: 2,
                platform: "linux".into(),
                avail: None,
            }),
        })
    }

    fn server_status(status: Status, location: &str) -> Msg {
        Msg::new(DispycosStatus {
            status,
            info: StatusInfo::Server(location.parse().unwrap()),
        })
    }

    #[test]
    fn statuses_build_nodes_and_servers() {
        let mut model = Model::new(10.0, true);
        model.apply(&node_status(Status::NodeInitialized, "10.0.0.1"), 1.0);
        model.apply(
            &server_status(Status::ServerInitialized, "10.0.0.1:4000"),
            2.0,
        );
        model.apply(
            &server_status(Status::ServerSuspended, "10.0.0.1:4001"),
            3.0,
        );
        model.apply(&server_status(Status::ServerClosed, "10.0.0.1:4002"), 3.0);
        let node = &model.nodes[&"10.0.0.1".parse::<IpAddr>().unwrap()];
        assert_eq!(node.status, "Initialized");
        assert_eq!(node.cpus, 2);
        assert_eq!(node.live_servers(), 2, "a closed server no longer counts");
        assert_eq!(node.update_time, 3.0);
        model.apply(&node_status(Status::NodeResumed, "10.0.0.1"), 4.0);
        assert_eq!(model.nodes.values().next().unwrap().status, "Initialized");
    }

    #[test]
    fn updates_are_taken_once_and_by_sequence() {
        let mut model = Model::new(10.0, true);
        model.apply(&node_status(Status::NodeInitialized, "10.0.0.1"), 1.0);
        model.apply(&node_status(Status::NodeInitialized, "10.0.0.2"), 1.0);
        assert_eq!(model.take_updates().len(), 2);
        assert!(model.take_updates().is_empty(), "cleared by the first call");
        let seen = model.nodes.values().map(|n| n.seq).max().unwrap();
        model.apply(&node_status(Status::NodeSuspended, "10.0.0.2"), 2.0);
        let changed: Vec<_> = model.changed_since(seen).map(|n| n.addr).collect();
        assert_eq!(changed, vec!["10.0.0.2".parse::<IpAddr>().unwrap()]);
        assert_eq!(model.changed_since(0).count(), 2);
    }

    #[test]
    fn clamps_the_poll_interval() {
        let mut model = Model::new(0.1, true);
        assert_eq!(model.poll_sec, 1.0);
        model.set_poll_sec(f64::NAN);
        assert_eq!(model.poll_sec, 10.0);
        model.set_poll_sec(5.0);
        assert_eq!(model.poll_sec, 5.0);
    }

    #[pycos::task]
    async fn nothing() {}

    #[test]
    fn an_end_of_an_unknown_task_changes_nothing() {
        let sched = pycos::Pycos::new();
        let task = sched.spawn(nothing()).untyped();
        let mut model = Model::new(10.0, true);
        let end = Msg::new(MonitorStatus {
            task,
            result: Err(TaskError::Terminated),
        });
        assert!(model.apply(&end, 1.0));
        assert_eq!(model.counts, Counts::default());
        sched.finish().unwrap();
    }
}
