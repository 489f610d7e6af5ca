//! The scheduler: serves clients one at a time, in the order they asked;
//! finds and initialises the nodes of the client it serves, hands out
//! servers for its jobs (one CPU job per server at a time), follows the
//! jobs to their end, and sends the client's status task every status
//! message. Runs in the client's process ([`Client::schedule`]) or in the
//! standalone `dispycos` program, as one task (`dispycos_scheduler`) that
//! owns all of its state; slow steps (a node's initialisation) run in
//! helper tasks that report back to it.
//!
//! [`Client::schedule`]: super::Client::schedule

mod init;
mod main;
mod state;

pub use main::scheduler_main;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use pycos::prelude::*;

use super::proto::{
    ClientSpec, Control, NodeReport, Query, SCHEDULER_TASK, SchedulerReply, ServerReport,
    ServerState, ToAgent, ToNode, ToScheduler, ToServer, Where,
};
use super::status::{DispycosStatus, NodeInfo, Status, StatusInfo};
use crate::{Located, Location, Node, PeerState, PeerStatus};
use state::{Closing, Job, NodeRec, Served, ServerRec, Waiting};

/// Messages from the scheduler's own helper tasks (never cross the wire).
#[derive(Debug, Clone)]
enum Internal {
    /// A node was reserved: NodeDiscovered.
    Reserved {
        info: NodeInfo,
        auth: String,
        task: Task,
        init: Task,
    },
    /// A node runs its servers: NodeInitialized.
    Initialized { location: Location },
    /// A node could not be used.
    Failed { location: Location, why: String },
}

/// Starts the scheduler on this process's node, registered as
/// `dispycos_scheduler`. Gives its task.
pub(crate) fn start(node: &Node) -> Task {
    start_with(node, Overrides::default())
}

/// What the standalone scheduler imposes on every client it serves.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Overrides {
    /// Seconds of silence after which a client or node is a zombie.
    pub(crate) zombie_period: Option<f64>,
}

/// [`start`] with the standalone scheduler's overrides.
pub(crate) fn start_with(node: &Node, overrides: Overrides) -> Task {
    node.scheduler().spawn(scheduler(overrides)).untyped()
}

/// Asks the scheduler to print its state (the `status` command).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrintStatus;

#[task]
fn scheduler(overrides: Overrides, task: TaskCtx) {
    task.set_daemon(true);
    if let Err(err) = task.register(SCHEDULER_TASK) {
        tracing::error!(%err, "a dispycos scheduler runs in this process already");
        return;
    }
    let Some(node) = Node::current() else {
        tracing::error!("the dispycos scheduler needs a node");
        return;
    };
    node.peer_status(&task.handle());
    let mut sched = Scheduler {
        me: task.handle(),
        node,
        queue: VecDeque::new(),
        served: None,
        next_tick: Instant::now(),
        overrides,
    };
    loop {
        let wait = sched.next_tick.saturating_duration_since(Instant::now());
        match task.receive().timeout(wait).await {
            Some(msg) => sched.handle(msg),
            None => sched.tick(),
        }
    }
}

struct Scheduler {
    me: Task,
    node: Node,
    /// Clients waiting their turn, with the task to tell.
    queue: VecDeque<(Box<ClientSpec>, Task)>,
    served: Option<Served>,
    next_tick: Instant,
    overrides: Overrides,
}

impl Scheduler {
    fn handle(&mut self, msg: Msg) {
        let msg = match msg.downcast::<ToScheduler>() {
            Ok(msg) => return self.request(msg),
            Err(msg) => msg,
        };
        let msg = match msg.downcast::<Internal>() {
            Ok(msg) => return self.internal(msg),
            Err(msg) => msg,
        };
        let msg = match msg.downcast::<PrintStatus>() {
            Ok(PrintStatus) => return self.print_status(),
            Err(msg) => msg,
        };
        match msg.downcast::<PeerStatus>() {
            Ok(status) => self.peer(status),
            Err(other) => tracing::debug!(kind = other.type_name(), "scheduler ignores a message"),
        }
    }

    fn request(&mut self, msg: ToScheduler) {
        match msg {
            ToScheduler::Schedule { mut client, reply } => {
                if let Some(zombie) = self.overrides.zombie_period {
                    client.zombie_period = zombie;
                }
                self.queue.push_back((client, reply));
                self.serve_next();
            }
            ToScheduler::Run {
                client,
                cpu,
                at,
                reply,
            } => self.run(client, cpu, at, reply),
            ToScheduler::Started {
                client,
                cpu,
                server,
                info,
            } => self.started(client, cpu, server, *info),
            ToScheduler::Unstarted { client, server, .. } => {
                if let Some(served) = self.client(client)
                    && let Some(rec) = served.servers.get_mut(&server)
                {
                    rec.pending = rec.pending.saturating_sub(1);
                }
                self.assign_waiting();
            }
            ToScheduler::Query {
                client,
                query,
                reply,
            } => {
                let answer = self.query(client, query);
                let _ = reply.send(answer);
            }
            ToScheduler::Control {
                client,
                control,
                reply,
            } => {
                let done = self.control(client, control);
                let _ = reply.send(SchedulerReply::Done(done));
            }
            ToScheduler::Close {
                client,
                await_io,
                terminate,
                reply,
            } => self.close(client, await_io, terminate, reply),
            ToScheduler::ClientPulse { client } => {
                if let Some(served) = self.client(client) {
                    served.last_pulse = Instant::now();
                }
            }
            ToScheduler::Node(report) => self.node_report(report),
            ToScheduler::Server(report) => self.server_report(report),
            ToScheduler::JobEnded { task } => self.job_ended(task),
        }
    }

    /// The served client, if `id` is it.
    fn client(&mut self, id: u64) -> Option<&mut Served> {
        self.served.as_mut().filter(|served| served.spec.id == id)
    }

    fn status(&self, status: Status, info: StatusInfo) {
        if let Some(served) = &self.served {
            send_status(served, status, info);
        }
    }

    /// Starts serving the next client when none is.
    fn serve_next(&mut self) {
        if self.served.is_some() {
            return;
        }
        let Some((spec, reply)) = self.queue.pop_front() else {
            return;
        };
        tracing::info!(client = spec.id, "dispycos scheduler serves a client");
        let served = Served::new(*spec);
        for location in &served.spec.nodes {
            let (node, location) = (self.node.clone(), *location);
            self.node.scheduler().spawn(peer_with(node, location));
        }
        self.served = Some(served);
        let _ = reply.send(SchedulerReply::Scheduled);
        self.next_tick = Instant::now() + self.pulse_interval();
        // Nodes already linked: initialise them now.
        for (location, name) in self.node.state().online_peers() {
            self.maybe_node(location, &name);
        }
    }

    fn pulse_interval(&self) -> Duration {
        let secs = self.served.as_ref().map_or(10.0, |s| s.spec.pulse_interval);
        Duration::from_secs_f64(secs.max(0.01))
    }

    fn peer(&mut self, status: PeerStatus) {
        match status.status {
            PeerState::Online => self.maybe_node(status.location, &status.name),
            PeerState::Offline => self.peer_gone(status.location),
        }
    }

    /// A peer came online: initialise it if it is a node daemon the
    /// client's rules allow.
    fn maybe_node(&mut self, location: Location, name: &str) {
        let Some(served) = &self.served else { return };
        if !name.ends_with(super::proto::NODE_SUFFIX) || served.closing.is_some() {
            return;
        }
        if served.nodes.contains_key(&location) {
            return;
        }
        let spec = served.spec.clone();
        let (node, me) = (self.node.clone(), self.me.clone());
        self.node
            .scheduler()
            .spawn(init::node_init(node, me, spec, location, name.to_owned()));
    }

    fn internal(&mut self, msg: Internal) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        match msg {
            Internal::Reserved {
                info,
                auth,
                task,
                init,
            } => {
                let abandon_zombie = served.spec.abandon_zombie;
                let rec = NodeRec {
                    info: info.clone(),
                    auth,
                    task,
                    status: Status::NodeDiscovered,
                    last_pulse: Instant::now(),
                    suspended: false,
                    abandon_zombie,
                    init: Some(init),
                };
                served.nodes.insert(info.location, rec);
                self.status(Status::NodeDiscovered, StatusInfo::Node(info));
            }
            Internal::Initialized { location } => {
                if let Some(rec) = served.nodes.get_mut(&location) {
                    rec.status = Status::NodeInitialized;
                    rec.init = None;
                    let info = rec.info.clone();
                    self.status(Status::NodeInitialized, StatusInfo::Node(info));
                }
            }
            Internal::Failed { location, why } => {
                tracing::warn!(node = %location, %why, "dispycos node not used");
                if let Some(rec) = served.nodes.remove(&location) {
                    let _ = rec.task.send(ToNode::Release {
                        auth: rec.auth,
                        terminate: true,
                    });
                }
            }
        }
    }

    fn server_report(&mut self, report: ServerReport) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        let Some(node) = served.nodes.get(&report.node) else {
            tracing::debug!(server = %report.location, "report from a server of no node of ours");
            return;
        };
        if node.auth != report.auth {
            return;
        }
        match report.state {
            ServerState::Discovered => {
                served.servers.insert(
                    report.location,
                    ServerRec {
                        node: report.node,
                        task: report.task,
                        status: Status::ServerDiscovered,
                        suspended: false,
                        cpu_jobs: 0,
                        io_jobs: 0,
                        pending: 0,
                        jobs: Vec::new(),
                    },
                );
                self.status(
                    Status::ServerDiscovered,
                    StatusInfo::Server(report.location),
                );
            }
            ServerState::Initialized => {
                if let Some(rec) = served.servers.get_mut(&report.location) {
                    rec.status = Status::ServerInitialized;
                }
                self.status(
                    Status::ServerInitialized,
                    StatusInfo::Server(report.location),
                );
                self.assign_waiting();
            }
            ServerState::SetupFailed(why) => {
                tracing::warn!(server = %report.location, %why, "dispycos server setup failed");
                served.servers.remove(&report.location);
                self.status(Status::ServerClosed, StatusInfo::Server(report.location));
            }
            ServerState::Closed => {
                if let Some(rec) = served.servers.get_mut(&report.location) {
                    rec.status = Status::ServerClosed;
                }
                self.status(Status::ServerClosed, StatusInfo::Server(report.location));
            }
        }
    }

    fn node_report(&mut self, report: NodeReport) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        match report {
            NodeReport::Pulse { auth, avail } => {
                if let Some(rec) = served.nodes.get_mut(&avail.location)
                    && rec.auth == auth
                {
                    rec.last_pulse = Instant::now();
                    rec.info.avail = Some(avail.clone());
                    if let Some(status) = &served.spec.status {
                        let _ = status.send(avail);
                    }
                }
            }
            NodeReport::ServerExited {
                auth,
                server,
                why,
                restarting,
            } => {
                let known = served
                    .nodes
                    .values()
                    .any(|node| node.auth == auth && server.ip() == node.info.addr());
                if !known {
                    return;
                }
                self.server_gone(server, &why, restarting);
            }
            NodeReport::Released { auth, location } => {
                let ours = served.nodes.get(&location).is_some_and(|n| n.auth == auth);
                if !ours {
                    return;
                }
                self.node_released(location);
            }
        }
    }

    /// A server process ended: its jobs are abandoned.
    fn server_gone(&mut self, server: Location, why: &str, restarting: bool) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        let Some(rec) = served.servers.remove(&server) else {
            return;
        };
        let clean = rec.status == Status::ServerClosed;
        if !rec.jobs.is_empty() {
            // The client's handles learn it now, with the reason, not
            // after their links give up.
            let tasks = rec.jobs.iter().map(|job| job.task.clone()).collect();
            let why = format!("abandoned: server {server} ended ({why})");
            let _ = served.spec.agent.send(ToAgent::Abandoned { tasks, why });
        }
        let status = if clean {
            Status::ServerDisconnected
        } else {
            Status::ServerAbandoned
        };
        if !clean || !restarting {
            self.status(status, StatusInfo::Server(server));
        }
        self.assign_waiting();
    }

    fn peer_gone(&mut self, location: Location) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        if served.servers.contains_key(&location) {
            // Its process died (its node says why, if it still can).
            self.server_gone(location, "it went offline", false);
            return;
        }
        if let Some(rec) = served.nodes.get(&location) {
            if served.closing.is_some() {
                self.node_released(location);
                return;
            }
            let info = rec.info.clone();
            let servers = served.servers_of(location);
            for server in servers {
                self.server_gone(server, "its node went offline", false);
            }
            if let Some(served) = self.served.as_mut() {
                served.nodes.remove(&location);
            }
            self.status(Status::NodeAbandoned, StatusInfo::Node(info));
        }
    }

    fn node_released(&mut self, location: Location) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        let servers = served.servers_of(location);
        for server in servers {
            if let Some(rec) = served.servers.remove(&server)
                && rec.status != Status::ServerClosed
            {
                send_status(served, Status::ServerClosed, StatusInfo::Server(server));
            }
        }
        if let Some(rec) = served.nodes.remove(&location) {
            send_status(served, rec.status, StatusInfo::Node(rec.info));
        }
        if let Some(closing) = served.closing.as_mut() {
            closing.releasing.retain(|loc| *loc != location);
        }
        self.maybe_closed();
    }

    fn run(&mut self, client: u64, cpu: bool, at: Option<Where>, reply: Task) {
        let Some(served) = self.client(client) else {
            let _ = reply.send(SchedulerReply::Refused(
                "the client is not scheduled".into(),
            ));
            return;
        };
        if served.closing.is_some() {
            let _ = reply.send(SchedulerReply::Refused("the client is closing".into()));
            return;
        }
        if let Some(at) = at
            && !served.knows(at)
        {
            let _ = reply.send(SchedulerReply::Refused(format!(
                "{at} is not one of this client's"
            )));
            return;
        }
        if cpu {
            match served.free_cpu_server(at) {
                Some(server) => assign(served, server, reply),
                None => served.waiting.push_back(Waiting { at, reply }),
            }
        } else {
            match served.io_server(at) {
                Some(server) => assign(served, server, reply),
                None => {
                    let _ = reply.send(SchedulerReply::Refused("no server is available".into()));
                }
            }
        }
    }

    /// Gives waiting CPU jobs the servers that are free now, in order.
    fn assign_waiting(&mut self) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        let mut still = VecDeque::new();
        while let Some(waiting) = served.waiting.pop_front() {
            if let Some(at) = waiting.at
                && !served.knows(at)
            {
                let why = format!("{at} is gone");
                let _ = waiting.reply.send(SchedulerReply::Refused(why));
                continue;
            }
            let anywhere = waiting.at.is_none();
            match served.free_cpu_server(waiting.at) {
                Some(server) => assign(served, server, waiting.reply),
                None => {
                    still.push_back(waiting);
                    if anywhere {
                        // No server is free at all: the rest wait too
                        // (without this, each job's end scanned them all).
                        still.extend(served.waiting.drain(..));
                    }
                }
            }
        }
        served.waiting = still;
    }

    fn started(&mut self, client: u64, cpu: bool, server: Location, info: super::status::TaskInfo) {
        let Some(served) = self.client(client) else {
            return;
        };
        let Some(rec) = served.servers.get_mut(&server) else {
            // The server is gone already: the job is too.
            let _ = info.task.terminate();
            return;
        };
        rec.pending = rec.pending.saturating_sub(1);
        if cpu {
            rec.cpu_jobs += 1;
        } else {
            rec.io_jobs += 1;
        }
        rec.jobs.push(Job {
            task: info.task.clone(),
            cpu,
        });
        if let Some(at) = served.askew.iter().position(|task| *task == info.task) {
            let task = served.askew.swap_remove(at);
            self.job_ended(task);
        }
    }

    fn job_ended(&mut self, task: Task) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        let Some(server) = task.location() else {
            return;
        };
        let Some(rec) = served.servers.get_mut(&server) else {
            return;
        };
        let Some(at) = rec.jobs.iter().position(|job| job.task == task) else {
            // Its start is still on the way from the client.
            served.askew.push(task);
            return;
        };
        let job = rec.jobs.swap_remove(at);
        if job.cpu {
            rec.cpu_jobs = rec.cpu_jobs.saturating_sub(1);
        } else {
            rec.io_jobs = rec.io_jobs.saturating_sub(1);
        }
        self.assign_waiting();
        self.maybe_release();
    }

    fn query(&mut self, client: u64, query: Query) -> SchedulerReply {
        let Some(served) = self.client(client) else {
            return SchedulerReply::Refused("the client is not scheduled".into());
        };
        match query {
            Query::Nodes => {
                let mut addrs: Vec<_> = served.nodes.keys().map(Location::ip).collect();
                addrs.sort();
                SchedulerReply::Nodes(addrs)
            }
            Query::Servers => {
                let mut servers: Vec<_> = served.servers.keys().copied().collect();
                servers.sort();
                SchedulerReply::Servers(servers)
            }
            Query::Tasks(at) => {
                let tasks = served
                    .servers
                    .iter()
                    .filter(|(loc, server)| match at {
                        None => true,
                        Some(Where::Node(addr)) => server.node.ip() == addr,
                        Some(Where::Server(want)) => **loc == want,
                    })
                    .flat_map(|(_, server)| server.jobs.iter().map(|job| job.task.clone()))
                    .collect();
                SchedulerReply::Tasks(tasks)
            }
        }
    }

    fn control(&mut self, client: u64, control: Control) -> i32 {
        let Some(served) = self.client(client) else {
            return -1;
        };
        let mut statuses = Vec::new();
        let done = match control {
            Control::SuspendNode(addr) | Control::ResumeNode(addr) => {
                let suspend = matches!(control, Control::SuspendNode(_));
                let Some(loc) = served.node_at(addr) else {
                    return -1;
                };
                let rec = served.nodes.get_mut(&loc).expect("found above");
                rec.suspended = suspend;
                let status = if suspend {
                    Status::NodeSuspended
                } else {
                    Status::NodeResumed
                };
                statuses.push((status, StatusInfo::Node(rec.info.clone())));
                0
            }
            Control::SuspendServer(loc) | Control::ResumeServer(loc) => {
                let suspend = matches!(control, Control::SuspendServer(_));
                let Some(rec) = served.servers.get_mut(&loc) else {
                    return -1;
                };
                rec.suspended = suspend;
                let status = if suspend {
                    Status::ServerSuspended
                } else {
                    Status::ServerResumed
                };
                statuses.push((status, StatusInfo::Server(loc)));
                0
            }
            Control::EnableNode(addr, setup) => {
                let Some(loc) = served.node_at(addr) else {
                    return -1;
                };
                match served.nodes.get(&loc).and_then(|rec| rec.init.clone()) {
                    Some(init) => status_of(init.send(init::Enable(setup))),
                    None => -1,
                }
            }
            Control::EnableServer(loc, setup) => match served.servers.get(&loc) {
                Some(rec) => status_of(rec.task.send(ToServer::Enable(setup))),
                None => -1,
            },
            Control::CloseServer {
                server,
                terminate,
                restart,
            } => match served.servers.get(&server) {
                Some(rec) => {
                    let node = served.nodes.get(&rec.node);
                    match node {
                        Some(node) => {
                            let msg = ToNode::CloseServer {
                                auth: node.auth.clone(),
                                server,
                                terminate,
                                restart,
                            };
                            status_of(node.task.send(msg))
                        }
                        None => -1,
                    }
                }
                None => -1,
            },
            Control::CloseNode {
                node,
                terminate,
                restart: _,
            } => {
                let Some(loc) = served.node_at(node) else {
                    return -1;
                };
                let rec = served.nodes.get(&loc).expect("found above");
                let msg = ToNode::Release {
                    auth: rec.auth.clone(),
                    terminate,
                };
                status_of(rec.task.send(msg))
            }
            Control::NodeAllocate(rule) => {
                let at = served.spec.allocations.len().saturating_sub(1);
                served.spec.allocations.retain(|r| r.node() != rule.node());
                served
                    .spec
                    .allocations
                    .insert(at.min(served.spec.allocations.len()), rule);
                0
            }
            Control::AbandonZombie(at, flag) => {
                match at {
                    None => {
                        served.spec.abandon_zombie = flag;
                        served
                            .nodes
                            .values_mut()
                            .for_each(|n| n.abandon_zombie = flag);
                    }
                    Some(Where::Node(addr)) => {
                        let Some(loc) = served.node_at(addr) else {
                            return -1;
                        };
                        served
                            .nodes
                            .get_mut(&loc)
                            .expect("found above")
                            .abandon_zombie = flag;
                    }
                    Some(Where::Server(loc)) => {
                        let Some(rec) = served.servers.get(&loc) else {
                            return -1;
                        };
                        let node = rec.node;
                        if let Some(n) = served.nodes.get_mut(&node) {
                            n.abandon_zombie = flag;
                        }
                    }
                }
                0
            }
        };
        for (status, info) in statuses {
            send_status(served, status, info);
        }
        if done == 0 {
            self.assign_waiting();
        }
        done
    }

    fn close(&mut self, client: u64, await_io: bool, terminate: bool, reply: Task) {
        let Some(served) = self.client(client) else {
            // Not scheduled (or not yet): nothing to close.
            self.queue.retain(|(spec, _)| spec.id != client);
            let _ = reply.send(SchedulerReply::Closed);
            return;
        };
        if served.closing.is_some() {
            let _ = reply.send(SchedulerReply::Refused("closing already".into()));
            return;
        }
        for waiting in served.waiting.drain(..) {
            let _ = waiting
                .reply
                .send(SchedulerReply::Refused("the client is closing".into()));
        }
        served.closing = Some(Closing {
            await_io,
            terminate,
            reply,
            releasing: Vec::new(),
            started: Instant::now(),
        });
        if terminate {
            // At once, without waiting for the jobs: each server throws a
            // KeyboardInterrupt into its jobs, allows them 5 s, then ends
            // them (pycos' close with terminate).
            release_all(served);
        }
        self.maybe_release();
    }

    /// When closing and the jobs it waits for are done: release the nodes.
    fn maybe_release(&mut self) {
        let Some(served) = self.served.as_mut() else {
            return;
        };
        let Some(await_io) = served.closing.as_ref().map(|c| c.await_io) else {
            return;
        };
        let running = served.running(await_io);
        let releasing = served
            .closing
            .as_ref()
            .is_some_and(|c| !c.releasing.is_empty());
        if releasing || running > 0 {
            return;
        }
        if !served.nodes.is_empty() {
            release_all(served);
            return;
        }
        self.maybe_closed();
    }

    /// When every node released the closing client: ClientClosed, and the
    /// next client's turn.
    fn maybe_closed(&mut self) {
        let Some(served) = self.served.as_ref() else {
            return;
        };
        let Some(closing) = served.closing.as_ref() else {
            return;
        };
        if !served.nodes.is_empty() || served.running(closing.await_io) > 0 {
            return;
        }
        send_status(
            served,
            Status::ClientClosed,
            StatusInfo::Client(served.spec.id),
        );
        let _ = closing.reply.send(SchedulerReply::Closed);
        tracing::info!(client = served.spec.id, "dispycos client closed");
        self.served = None;
        self.serve_next();
    }

    /// Prints the client served, those waiting, and the cluster (pycos'
    /// `print_status`).
    fn print_status(&self) {
        match &self.served {
            None => println!("  Client: none"),
            Some(served) => {
                println!("  Client: {:016x}", served.spec.id);
                println!("  Pending CPU jobs: {}", served.waiting.len());
                for (loc, node) in &served.nodes {
                    println!("  Node {loc} ({}): {:?}", node.info.name, node.status);
                    for server in served.servers_of(*loc) {
                        if let Some(rec) = served.servers.get(&server) {
                            println!(
                                "    Server {server}: {:?}, {} CPU and {} I/O jobs",
                                rec.status, rec.cpu_jobs, rec.io_jobs
                            );
                        }
                    }
                }
            }
        }
        println!("  Pending clients: {}", self.queue.len());
    }

    /// Every pulse interval: pulse the client, find zombies.
    fn tick(&mut self) {
        self.next_tick = Instant::now() + self.pulse_interval();
        let Some(served) = self.served.as_mut() else {
            return;
        };
        let pulse = ToAgent::Pulse {
            scheduler: self.me.clone(),
            client: served.spec.id,
        };
        let _ = served.spec.agent.send(pulse);
        let zombie = served.spec.zombie_period;
        if zombie <= 0.0 {
            return;
        }
        let limit = Duration::from_secs_f64(zombie);
        if served.last_pulse.elapsed() > limit && served.closing.is_none() {
            tracing::warn!(
                client = served.spec.id,
                "client silent for the zombie period: closing it"
            );
            let (me, id) = (self.me.clone(), served.spec.id);
            self.close(id, false, true, me);
            return;
        }
        if let Some(closing) = &served.closing
            && closing.started.elapsed() > limit
        {
            // Nodes that never answered the release.
            let stuck = closing.releasing.clone();
            for loc in stuck {
                self.node_released(loc);
            }
            return;
        }
        let zombies: Vec<Location> = served
            .nodes
            .iter()
            .filter(|(_, rec)| rec.abandon_zombie && rec.last_pulse.elapsed() > limit)
            .map(|(loc, _)| *loc)
            .collect();
        for loc in zombies {
            self.peer_gone(loc);
        }
    }
}

/// Asks every node to release the closing client (its servers close).
fn release_all(served: &mut Served) {
    let Some(closing) = served.closing.as_mut() else {
        return;
    };
    for (loc, rec) in &served.nodes {
        let release = ToNode::Release {
            auth: rec.auth.clone(),
            terminate: closing.terminate,
        };
        let _ = rec.task.send(release);
        closing.releasing.push(*loc);
    }
}

/// Hands `server` to a job (its slot is held until the job is reported
/// started or not).
fn assign(served: &mut Served, server: Location, reply: Task) {
    if let Some(rec) = served.servers.get_mut(&server) {
        rec.pending += 1;
    }
    let _ = reply.send(SchedulerReply::Assigned(server));
}

fn send_status(served: &Served, status: Status, info: StatusInfo) {
    if let Some(task) = &served.spec.status {
        let _ = task.send(DispycosStatus { status, info });
    }
}

#[task]
fn peer_with(node: Node, location: Location) {
    if let Err(err) = node.peer(location).await {
        tracing::warn!(node = %location, %err, "cannot reach a dispycos node");
    }
}

/// pycos' 0 / -1 for a message sent or not.
fn status_of<E>(sent: Result<(), E>) -> i32 {
    if sent.is_ok() { 0 } else { -1 }
}
