//! The node daemon (`dispycosnode`): offers this machine's CPUs to one
//! client at a time. For the client it serves it caches the client's
//! executable (by SHA-256), starts one server process per CPU from it
//! (each tied to the daemon by the parent-death signal), pulses the
//! scheduler, restarts servers that ask for it, and on release closes the
//! servers and removes their directories before taking the next client.

mod main;
mod procs;

pub use main::node_main;

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use pycos::prelude::*;

use super::avail::{AvailSampler, platform};
use super::exe::{Digest, ExeCache};
use super::proto::{NODE_TASK, NodeReply, NodeReport, Setup, ToNode, ToScheduler};
use super::status::{NodeAvailInfo, NodeInfo};
use crate::{Location, Node, NodeError, PeerState, PeerStatus};
use procs::ServerProc;

/// How a node daemon runs (what `dispycosnode`'s options give).
#[derive(Debug, Clone)]
pub struct DaemonConfig {
    /// The node's name; `<name>_dispycosnode` (default: the host name).
    pub name: String,
    /// The address to listen on and advertise.
    pub host: IpAddr,
    /// The address to advertise instead, behind NAT.
    pub ext_host: Option<IpAddr>,
    /// The node's port, then one per server.
    pub ports: Vec<u16>,
    /// The number of server processes.
    pub servers: usize,
    /// The node's directory (`<dest_path>/dispycos/node`).
    pub dir: PathBuf,
    /// The largest file a client may send.
    pub max_file_size: Option<u64>,
    /// The cluster's shared secret.
    pub secret: String,
    /// TLS certificate and key.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Clients to serve before exiting (`None`: no limit).
    pub serve: Option<u64>,
    /// The netpycos message timeout.
    pub msg_timeout: Duration,
    /// Peers to contact explicitly.
    pub peers: Vec<Location>,
    /// Discover peers by UDP (off for loopback-only use).
    pub discover: bool,
}

/// A command for the daemon (the interactive ones of `dispycosnode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaemonCommand {
    /// Print the client and servers.
    Status,
    /// Close the current client (its servers finish their jobs).
    Close,
    /// Serve no more clients: close the current one, then exit.
    Quit,
    /// Terminate the current client's jobs and exit.
    Terminate,
}

/// A running node daemon.
#[derive(Debug, Clone)]
pub struct NodeDaemon {
    task: Task<()>,
    node: Node,
}

impl NodeDaemon {
    /// Starts the daemon: its node (named `<name>_dispycosnode`) and its
    /// task.
    ///
    /// # Errors
    ///
    /// When the node cannot start (port, TLS files, directory).
    pub fn start(cfg: DaemonConfig) -> Result<NodeDaemon, NodeError> {
        std::fs::create_dir_all(&cfg.dir)
            .map_err(|err| NodeError::DestPath(cfg.dir.clone(), err))?;
        let mut builder = Node::builder()
            .name(format!("{}{}", cfg.name, super::proto::NODE_SUFFIX))
            .host(cfg.host)
            .tcp_port(cfg.ports.first().copied().unwrap_or(0))
            .discover(cfg.discover)
            .secret(&cfg.secret)
            .msg_timeout(cfg.msg_timeout)
            .dest_path(&cfg.dir);
        if let Some(ext) = cfg.ext_host {
            builder = builder.advertise(ext);
        }
        if let Some(bytes) = cfg.max_file_size {
            builder = builder.max_file_size(bytes);
        }
        if let Some((cert, key)) = &cfg.tls {
            builder = builder.tls(cert, key);
        }
        let node = builder.start()?;
        super::proto::register();
        let task = node.scheduler().spawn(daemon(cfg, node.clone()));
        Ok(NodeDaemon { task, node })
    }

    /// The daemon node's location.
    pub fn location(&self) -> Location {
        self.node.location()
    }

    /// Sends a command (from stdin, or a test).
    pub fn command(&self, command: DaemonCommand) {
        let _ = self.task.send(command);
    }

    /// Waits for the daemon to end (after `quit`, `terminate`, or its
    /// last client).
    pub fn wait(&self) {
        let _ = self.task.value();
    }
}

struct Reserved {
    client: u64,
    auth: String,
    scheduler: Task,
    digest: Digest,
    cpus: usize,
    pulse: Duration,
    setup: Option<(Setup, PathBuf)>,
    servers: Vec<ServerProc>,
    releasing: bool,
}

struct Daemon {
    cfg: DaemonConfig,
    node: Node,
    me: Task,
    cache: Option<ExeCache>,
    sampler: AvailSampler,
    served: u64,
    quitting: bool,
    reserved: Option<Reserved>,
}

#[task]
fn daemon(cfg: DaemonConfig, node: Node, task: TaskCtx) {
    if let Err(err) = task.register(NODE_TASK) {
        tracing::error!(%err, "cannot register the node task");
        return;
    }
    node.peer_status(&task.handle());
    for peer in cfg.peers.clone() {
        let node = node.clone();
        Task::new(contact(node, peer));
    }
    let cache = ExeCache::new(cfg.dir.join("exe"))
        .map_err(|err| tracing::error!(%err, "no executable cache"))
        .ok();
    let mut daemon = Daemon {
        cfg,
        node,
        me: task.handle(),
        cache,
        sampler: AvailSampler::new(),
        served: 0,
        quitting: false,
        reserved: None,
    };
    println!(
        "dispycos node {} at {} with {} servers",
        daemon.node.name(),
        daemon.node.location(),
        daemon.cfg.servers
    );
    let mut next_pulse = Instant::now() + Duration::from_secs(1);
    loop {
        let wait = next_pulse.saturating_duration_since(Instant::now());
        match task.receive().timeout(wait).await {
            Some(msg) => daemon.handle(msg),
            None => {
                daemon.pulse();
                let every = daemon
                    .reserved
                    .as_ref()
                    .map_or(Duration::from_secs(1), |r| r.pulse);
                next_pulse = Instant::now() + every;
            }
        }
        if daemon.quitting && daemon.reserved.is_none() {
            break;
        }
    }
    println!("dispycos node {} exits", daemon.node.name());
}

#[task]
fn contact(node: Node, peer: Location) {
    if let Err(err) = node.peer(peer).await {
        tracing::warn!(%peer, %err, "cannot reach a peer");
    }
}

impl Daemon {
    fn handle(&mut self, msg: Msg) {
        let msg = match msg.downcast::<ToNode>() {
            Ok(msg) => return self.request(msg),
            Err(msg) => msg,
        };
        let msg = match msg.downcast::<DaemonCommand>() {
            Ok(command) => return self.command(command),
            Err(msg) => msg,
        };
        if let Ok(status) = msg.downcast::<PeerStatus>() {
            self.peer(status);
        }
    }

    fn info(&mut self) -> NodeInfo {
        NodeInfo {
            name: self.node.name().to_owned(),
            location: self.node.location(),
            cpus: self.cfg.servers,
            platform: platform(),
            avail: Some(self.avail()),
        }
    }

    fn avail(&mut self) -> NodeAvailInfo {
        let avail = self.sampler.sample(&self.cfg.dir);
        NodeAvailInfo {
            location: self.node.location(),
            cpu: avail.cpu_percent,
            memory: avail.memory_available,
            disk: avail.disk_available,
            swap: avail.swap_percent,
        }
    }

    fn request(&mut self, msg: ToNode) {
        match msg {
            ToNode::Info { reply } => {
                let info = self.info();
                let _ = reply.send(NodeReply::Info(info));
            }
            ToNode::Reserve {
                client,
                cpus,
                scheduler,
                exe_digest,
                pulse_interval,
                reply,
            } => {
                let answer = self.reserve(client, cpus, scheduler, &exe_digest, pulse_interval);
                let _ = reply.send(answer);
            }
            ToNode::Setup {
                auth,
                setup,
                exe_name,
                reply,
            } => {
                let answer = match self.setup(&auth, setup, &exe_name) {
                    Ok(servers) => NodeReply::SetupDone { servers },
                    Err(why) => {
                        tracing::warn!(%why, "client setup refused");
                        NodeReply::SetupFailed(why)
                    }
                };
                let _ = reply.send(answer);
            }
            ToNode::Release { auth, terminate } => {
                if self.reserved.as_ref().is_some_and(|r| r.auth == auth) {
                    self.release(terminate);
                }
            }
            ToNode::CloseServer {
                auth,
                server,
                terminate,
                restart,
            } => {
                if let Some(reserved) = self.reserved.as_mut().filter(|r| r.auth == auth)
                    && let Some(proc) = reserved
                        .servers
                        .iter_mut()
                        .find(|p| p.location() == Some(server))
                {
                    proc.restart = restart;
                    proc.close(terminate, restart);
                }
            }
            ToNode::ServerUp { index, task } => {
                if let Some(reserved) = self.reserved.as_mut()
                    && let Some(proc) = reserved.servers.iter_mut().find(|p| p.index == index)
                {
                    if let Some(at) = crate::Located::location(&task) {
                        println!("dispycos server {index} at {at}");
                    }
                    proc.task = Some(task);
                    if reserved.releasing {
                        proc.close(true, false);
                    }
                }
            }
            ToNode::CloseNode { terminate } => self.release(terminate),
            ToNode::Exited {
                index,
                pid,
                why,
                status,
            } => self.exited(index, pid, &why, status),
        }
    }

    fn reserve(
        &mut self,
        client: u64,
        cpus: usize,
        scheduler: Task,
        digest: &str,
        pulse: f64,
    ) -> NodeReply {
        let refused = NodeReply::Reserved {
            cpus: 0,
            auth: String::new(),
            have_exe: false,
            upload: String::new(),
        };
        if self.reserved.is_some() || self.quitting {
            return refused;
        }
        let Ok(digest) = digest.parse::<Digest>() else {
            return refused;
        };
        let have_exe = self
            .cache
            .as_ref()
            .and_then(|cache| cache.lookup(&digest).ok().flatten())
            .is_some();
        let auth = format!("{:016x}", super::random_id());
        let upload = format!("upload/{auth}");
        let cpus = cpus.min(self.cfg.servers).max(1);
        self.reserved = Some(Reserved {
            client,
            auth: auth.clone(),
            scheduler,
            digest,
            cpus,
            pulse: Duration::from_secs_f64(pulse.clamp(0.05, 100.0)),
            setup: None,
            servers: Vec::new(),
            releasing: false,
        });
        NodeReply::Reserved {
            cpus,
            auth,
            have_exe,
            upload,
        }
    }

    fn setup(&mut self, auth: &str, setup: Setup, exe_name: &str) -> Result<usize, String> {
        let reserved = self
            .reserved
            .as_mut()
            .filter(|r| r.auth == auth)
            .ok_or("not reserved for this client")?;
        let cache = self
            .cache
            .as_ref()
            .ok_or("the node has no executable cache")?;
        let exe = match cache
            .lookup(&reserved.digest)
            .map_err(|err| err.to_string())?
        {
            Some(path) => path,
            None => {
                let received = self.cfg.dir.join("upload").join(auth).join(exe_name);
                cache
                    .admit(&received, &reserved.digest)
                    .map_err(|err| err.to_string())?
            }
        };
        super::exe::check_runnable(&exe).map_err(|err| err.to_string())?;
        let _ = std::fs::remove_dir_all(self.cfg.dir.join("upload").join(auth));
        reserved.setup = Some((setup, exe));
        let count = reserved.cpus;
        for index in 1..=count {
            let proc = procs::spawn(self, index)?;
            if let Some(reserved) = self.reserved.as_mut() {
                reserved.servers.push(proc);
            }
        }
        Ok(count)
    }

    /// Closes the client's servers; the release completes when all ended.
    fn release(&mut self, terminate: bool) {
        let Some(reserved) = self.reserved.as_mut() else {
            return;
        };
        reserved.releasing = true;
        for proc in reserved.servers.iter_mut().filter(|p| p.alive) {
            proc.close(terminate, false);
            if terminate {
                proc.kill_after(Duration::from_secs(5) + self.cfg.msg_timeout);
            }
        }
        self.maybe_released();
    }

    fn maybe_released(&mut self) {
        let Some(reserved) = self.reserved.as_ref() else {
            return;
        };
        if !reserved.releasing || reserved.servers.iter().any(|p| p.alive) {
            return;
        }
        let reserved = self.reserved.take().expect("checked above");
        for proc in &reserved.servers {
            proc.remove_dir();
        }
        let _ = std::fs::remove_dir_all(self.cfg.dir.join("upload").join(&reserved.auth));
        let report = NodeReport::Released {
            auth: reserved.auth.clone(),
            location: self.node.location(),
        };
        let _ = reserved.scheduler.send(ToScheduler::Node(report));
        self.served += 1;
        tracing::info!(
            client = reserved.client,
            "dispycos node released its client"
        );
        if self.cfg.serve.is_some_and(|limit| self.served >= limit) {
            self.quitting = true;
        }
    }

    fn exited(&mut self, index: usize, pid: u32, why: &str, status: Option<i32>) {
        let Some(reserved) = self.reserved.as_mut() else {
            return;
        };
        let Some(proc) = reserved
            .servers
            .iter_mut()
            .find(|p| p.index == index && p.pid == pid)
        else {
            return;
        };
        proc.alive = false;
        let asked = status == Some(super::server::RESTART_STATUS);
        let restart_servers = reserved
            .setup
            .as_ref()
            .is_some_and(|(s, _)| s.restart_servers);
        let restarting =
            !reserved.releasing && !self.quitting && (asked || proc.restart || restart_servers);
        if let Some(server) = proc.location() {
            let report = NodeReport::ServerExited {
                auth: reserved.auth.clone(),
                server,
                why: why.to_owned(),
                restarting,
            };
            let _ = reserved.scheduler.send(ToScheduler::Node(report));
        }
        proc.remove_dir();
        if restarting {
            match procs::spawn(self, index) {
                Ok(fresh) => {
                    if let Some(reserved) = self.reserved.as_mut() {
                        reserved.servers.retain(|p| p.index != index);
                        reserved.servers.push(fresh);
                    }
                }
                Err(why) => tracing::error!(%why, index, "cannot restart a server"),
            }
        }
        self.maybe_released();
    }

    fn pulse(&mut self) {
        let avail = self.avail();
        let Some(reserved) = self.reserved.as_ref() else {
            return;
        };
        let report = NodeReport::Pulse {
            auth: reserved.auth.clone(),
            avail,
        };
        let _ = reserved.scheduler.send(ToScheduler::Node(report));
    }

    fn peer(&mut self, status: PeerStatus) {
        let Some(reserved) = self.reserved.as_ref() else {
            return;
        };
        let scheduler_gone = status.status == PeerState::Offline
            && crate::Located::location(&reserved.scheduler) == Some(status.location);
        if scheduler_gone && !reserved.releasing {
            tracing::warn!(scheduler = %status.location, "the client's scheduler is gone: closing its servers");
            self.release(true);
        }
    }

    fn command(&mut self, command: DaemonCommand) {
        match command {
            DaemonCommand::Status => self.print_status(),
            DaemonCommand::Close => self.release(false),
            DaemonCommand::Quit => {
                self.quitting = true;
                self.release(false);
            }
            DaemonCommand::Terminate => {
                self.quitting = true;
                self.release(true);
            }
        }
    }

    fn print_status(&self) {
        match &self.reserved {
            None => println!("  no client; {} served", self.served),
            Some(reserved) => {
                println!(
                    "  client {:016x} (scheduler {:?})",
                    reserved.client,
                    crate::Located::location(&reserved.scheduler)
                );
                for proc in &reserved.servers {
                    println!(
                        "    server {} pid {} {}",
                        proc.index,
                        proc.pid,
                        if proc.alive { "running" } else { "ended" }
                    );
                }
            }
        }
    }
}
