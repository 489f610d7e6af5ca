//! [`Client`]: a computation scheduled on a cluster (pycos' dispycos
//! `Client`): jobs are `#[task(remote)]` calls run on the nodes' server
//! processes, each a [`Task`] whose `finish` gives its value.

mod builder;
mod error;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pycos::prelude::*;

pub use builder::{ClientBuilder, MAX_PULSE_INTERVAL, MIN_PULSE_INTERVAL};
pub use error::DispycosError;

use super::proto::{
    ClientSpec, Control, Query, SCHEDULER_TASK, SchedulerReply, Setup, ToAgent, ToScheduler, Where,
};
use super::status::{DispycosStatus, NodeInfo, Status, StatusInfo, TaskInfo};
use super::{NodeAllocate, scheduler};
use crate::rps::Call;
use crate::util::lock;
use crate::{Location, Node};

/// A client's own allocation: the node, its available memory and disk,
/// and the CPUs to use (0 ignores the node).
pub(crate) type Allocator = dyn Fn(&NodeInfo, u64, u64) -> i64 + Send + Sync;

/// A computation on a dispycos cluster (pycos' `Client`, alias
/// `Computation`). Cheap to clone; clones are the same client.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    id: u64,
    options: Mutex<ClientBuilder>,
    pulse_interval: f64,
    zombie_period: f64,
    scheduler: Mutex<Option<Task>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.inner.id)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The options of a new client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    fn from_builder(
        builder: ClientBuilder,
        pulse: f64,
        zombie: f64,
    ) -> Result<Client, DispycosError> {
        Ok(Client {
            inner: Arc::new(Inner {
                id: super::random_id(),
                options: Mutex::new(builder),
                pulse_interval: pulse,
                zombie_period: zombie,
                scheduler: Mutex::new(None),
            }),
        })
    }

    /// The client's id (sent with `ClientClosed`).
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// The task that receives the status messages, if set.
    pub(crate) fn status_task(&self) -> Option<Task> {
        lock(&self.inner.options).status.clone()
    }

    /// Whether [`schedule`](Client::schedule) ran.
    pub(crate) fn is_scheduled(&self) -> bool {
        lock(&self.inner.scheduler).is_some()
    }

    /// Sets the task that receives the status messages, before
    /// [`schedule`](Client::schedule) (pycos' `client.status_task = task`).
    pub fn set_status_task<R>(&self, task: &Task<R>) {
        lock(&self.inner.options).status = Some(task.untyped());
    }

    /// Schedules the client with a scheduler in this process, started
    /// now if none runs (and this process's node, if none runs), and
    /// waits for its turn: a scheduler serves one client at a time.
    ///
    /// # Errors
    ///
    /// [`DispycosError::NoNode`] when no node can be started;
    /// [`DispycosError::Executable`] when this program's executable
    /// cannot be read; [`DispycosError::Refused`].
    pub async fn schedule(&self) -> Result<(), DispycosError> {
        let node = match Node::current() {
            Some(node) => node,
            None => Node::builder()
                .start()
                .map_err(|err| DispycosError::NoNode(err.to_string()))?,
        };
        super::proto::register();
        super::server::keep_hook();
        let sched = match node.scheduler().locate(SCHEDULER_TASK) {
            Some(task) => task,
            None => scheduler::start(&node),
        };
        self.schedule_with(&node, sched, None).await
    }

    /// Schedules the client with the standalone scheduler (the `dispycos`
    /// program) at `location`, waiting at most `timeout` for its turn.
    ///
    /// # Errors
    ///
    /// As [`schedule`](Client::schedule), and [`DispycosError::TimedOut`].
    pub async fn schedule_at(
        &self,
        location: Location,
        timeout: Duration,
    ) -> Result<(), DispycosError> {
        let node =
            Node::current().ok_or_else(|| DispycosError::NoNode("start one first".into()))?;
        super::proto::register();
        let sched = node
            .locate_task(SCHEDULER_TASK, Some(location), timeout)
            .await
            .ok_or(DispycosError::TimedOut)?;
        self.schedule_with(&node, sched, Some(timeout)).await
    }

    async fn schedule_with(
        &self,
        node: &Node,
        sched: Task,
        limit: Option<Duration>,
    ) -> Result<(), DispycosError> {
        if lock(&self.inner.scheduler).is_some() {
            return Ok(());
        }
        let mut spec = self.spec(node)?;
        if let Some(at) = crate::Located::location(&sched)
            && at != node.location()
        {
            upload(node, at, &mut spec).await?;
        }
        let reply = ask(&sched, limit, |reply| ToScheduler::Schedule {
            client: Box::new(spec),
            reply,
        })
        .await?;
        match reply {
            SchedulerReply::Scheduled => {
                *lock(&self.inner.scheduler) = Some(sched);
                Ok(())
            }
            other => Err(refusal(other)),
        }
    }

    /// The client as the scheduler gets it; starts its agent.
    fn spec(&self, node: &Node) -> Result<ClientSpec, DispycosError> {
        let (path, digest) =
            super::exe::current_exe().map_err(|err| DispycosError::Executable(err.to_string()))?;
        let options = lock(&self.inner.options);
        let mut allocations = options.nodes.clone();
        allocations.push(NodeAllocate::new("*"));
        let mut nodes = options.peers.clone();
        for rule in options.nodes.iter().filter(|r| r.is_exact()) {
            if let (Ok(ip), Some(port)) = (rule.node().parse(), rule.node_port()) {
                nodes.push(Location::new(ip, port));
            }
        }
        let agent = node
            .scheduler()
            .spawn(agent(options.allocator.clone()))
            .untyped();
        Ok(ClientSpec {
            id: self.inner.id,
            status: options.status.clone(),
            agent,
            exe_digest: digest.to_string(),
            exe_path: path.to_string_lossy().into_owned(),
            allocations,
            custom_allocate: options.allocator.is_some(),
            nodes,
            setup: Setup {
                node_setup: options.node_setup.clone(),
                server_setup: options.server_setup.clone(),
                disable_servers: options.disable_servers,
                restart_servers: options.restart_servers,
            },
            disable_nodes: options.disable_nodes,
            pulse_interval: self.inner.pulse_interval,
            zombie_period: self.inner.zombie_period,
            abandon_zombie: options.abandon_zombie_nodes,
            uploaded: false,
            dependencies: options
                .dependencies
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
        })
    }

    fn scheduler(&self) -> Result<Task, DispycosError> {
        lock(&self.inner.scheduler)
            .clone()
            .ok_or(DispycosError::NotScheduled)
    }

    /// Runs a CPU job: the call `spec` of a `#[task(remote)]` function, at
    /// a server with no other CPU job (on the least-loaded node), waiting
    /// as long as it takes for one to be free (pycos' `rtask` / `run`).
    /// Gives the job's handle: `finish().await` gives the function's value,
    /// or how the job failed (its error with the server's location, or
    /// terminated, or abandoned when its server died).
    ///
    /// # Errors
    ///
    /// [`DispycosError::NotRemote`], [`DispycosError::NotScheduled`],
    /// [`DispycosError::Refused`] (closing), [`DispycosError::Create`]
    /// (the server could not create it: arguments that do not decode
    /// there, an unreachable server).
    pub async fn run<R>(&self, spec: TaskSpec<R>) -> Result<Task<R>, DispycosError> {
        self.submit(spec, true, None).await
    }

    /// [`run`](Client::run) at a node (any of its servers) or one server
    /// (pycos' `rtask_at` / `run_at`).
    ///
    /// # Errors
    ///
    /// As [`run`](Client::run); [`DispycosError::Refused`] at once when
    /// `at` is not one of the client's nodes or servers.
    pub async fn run_at<R>(
        &self,
        at: impl Into<Where>,
        spec: TaskSpec<R>,
    ) -> Result<Task<R>, DispycosError> {
        self.submit(spec, true, Some(at.into())).await
    }

    /// Runs an I/O job: no limit per server; the server with the fewest
    /// jobs runs it (pycos' `io_rtask` / `run_async`).
    ///
    /// # Errors
    ///
    /// As [`run`](Client::run); [`DispycosError::Refused`] when no server
    /// is up.
    pub async fn io_run<R>(&self, spec: TaskSpec<R>) -> Result<Task<R>, DispycosError> {
        self.submit(spec, false, None).await
    }

    /// [`io_run`](Client::io_run) at a node or server.
    ///
    /// # Errors
    ///
    /// As [`run_at`](Client::run_at).
    pub async fn io_run_at<R>(
        &self,
        at: impl Into<Where>,
        spec: TaskSpec<R>,
    ) -> Result<Task<R>, DispycosError> {
        self.submit(spec, false, Some(at.into())).await
    }

    async fn submit<R>(
        &self,
        spec: TaskSpec<R>,
        cpu: bool,
        at: Option<Where>,
    ) -> Result<Task<R>, DispycosError> {
        let remote = spec.remote().ok_or_else(|| DispycosError::NotRemote {
            name: spec.name().to_owned(),
        })?;
        // The arguments as the dashboard shows them; JSON reads as well as
        // anything for numbers, strings, lists and records.
        let args_text = serde_json::to_string(remote.args()).unwrap_or_default();
        let call = Call::of(remote).map_err(DispycosError::Create)?;
        let sched = self.scheduler()?;
        let client = self.inner.id;
        let server = match ask(&sched, None, |reply| ToScheduler::Run {
            client,
            cpu,
            at,
            reply,
        })
        .await?
        {
            SchedulerReply::Assigned(server) => server,
            other => return Err(refusal(other)),
        };
        let node = Node::current().ok_or(DispycosError::NotScheduled)?;
        let state = node.state().clone();
        let peer = state.peer_at(server);
        let (function, encoded_args) = (call.name.to_owned(), call.args.clone());
        match crate::rps::create(&state, &peer, server, call).await {
            Ok(task) => {
                let info = TaskInfo {
                    task: task.clone(),
                    server,
                    function,
                    encoded_args,
                    args_text,
                    start_time: now(),
                };
                // The status task hears of the start, then of the end, from
                // here: in that order, whichever process the scheduler is in.
                let status = lock(&self.inner.options).status.clone();
                if let Some(status) = status {
                    let started = DispycosStatus {
                        status: Status::TaskStarted,
                        info: StatusInfo::Task(info.clone()),
                    };
                    let _ = status.send(started);
                    Task::new(report_end(task.clone(), status));
                }
                let _ = sched.send(ToScheduler::Started {
                    client,
                    cpu,
                    server,
                    info: Box::new(info),
                });
                Ok(Task::from_untyped_remote(task))
            }
            Err(err) => {
                let _ = sched.send(ToScheduler::Unstarted {
                    client,
                    cpu,
                    server,
                });
                Err(DispycosError::Create(err))
            }
        }
    }

    async fn query(&self, query: Query) -> Result<SchedulerReply, DispycosError> {
        let sched = self.scheduler()?;
        let client = self.inner.id;
        ask(&sched, Some(msg_timeout()), |reply| ToScheduler::Query {
            client,
            query,
            reply,
        })
        .await
    }

    /// The addresses of the client's nodes (pycos' `nodes()`).
    ///
    /// # Errors
    ///
    /// [`DispycosError::NotScheduled`], [`DispycosError::TimedOut`].
    pub async fn nodes(&self) -> Result<Vec<std::net::IpAddr>, DispycosError> {
        match self.query(Query::Nodes).await? {
            SchedulerReply::Nodes(nodes) => Ok(nodes),
            other => Err(refusal(other)),
        }
    }

    /// The locations of the client's servers (pycos' `servers()`).
    ///
    /// # Errors
    ///
    /// As [`nodes`](Client::nodes).
    pub async fn servers(&self) -> Result<Vec<Location>, DispycosError> {
        match self.query(Query::Servers).await? {
            SchedulerReply::Servers(servers) => Ok(servers),
            other => Err(refusal(other)),
        }
    }

    /// The jobs running at a node or server, or everywhere (pycos'
    /// `tasks(where)`).
    ///
    /// # Errors
    ///
    /// As [`nodes`](Client::nodes).
    pub async fn tasks(&self, at: Option<Where>) -> Result<Vec<Task>, DispycosError> {
        match self.query(Query::Tasks(at)).await? {
            SchedulerReply::Tasks(tasks) => Ok(tasks),
            other => Err(refusal(other)),
        }
    }

    async fn control(&self, control: Control) -> Result<(), DispycosError> {
        let sched = self.scheduler()?;
        let client = self.inner.id;
        let what = format!("{control:?}");
        match ask(&sched, Some(msg_timeout()), |reply| ToScheduler::Control {
            client,
            control,
            reply,
        })
        .await?
        {
            SchedulerReply::Done(0) => Ok(()),
            SchedulerReply::Done(_) => Err(DispycosError::Refused(format!(
                "{what}: no such node or server"
            ))),
            other => Err(refusal(other)),
        }
    }

    /// No new jobs on the node; running ones go on (NodeSuspended).
    ///
    /// # Errors
    ///
    /// [`DispycosError::Refused`] for a node not of this client.
    pub async fn suspend_node(&self, node: std::net::IpAddr) -> Result<(), DispycosError> {
        self.control(Control::SuspendNode(node)).await
    }

    /// New jobs on the node again (NodeResumed).
    ///
    /// # Errors
    ///
    /// As [`suspend_node`](Client::suspend_node).
    pub async fn resume_node(&self, node: std::net::IpAddr) -> Result<(), DispycosError> {
        self.control(Control::ResumeNode(node)).await
    }

    /// No new jobs on the server (ServerSuspended).
    ///
    /// # Errors
    ///
    /// As [`suspend_node`](Client::suspend_node).
    pub async fn suspend_server(&self, server: Location) -> Result<(), DispycosError> {
        self.control(Control::SuspendServer(server)).await
    }

    /// New jobs on the server again (ServerResumed).
    ///
    /// # Errors
    ///
    /// As [`suspend_node`](Client::suspend_node).
    pub async fn resume_server(&self, server: Location) -> Result<(), DispycosError> {
        self.control(Control::ResumeServer(server)).await
    }

    /// With `disable_nodes`: initialise the node, its servers running
    /// `node_setup` with the arguments of `setup` (a call of the same
    /// function as the builder's, or `None` for the builder's own).
    ///
    /// # Errors
    ///
    /// As [`suspend_node`](Client::suspend_node); [`DispycosError::NotRemote`].
    pub async fn enable_node<R>(
        &self,
        node: std::net::IpAddr,
        setup: Option<TaskSpec<R>>,
    ) -> Result<(), DispycosError> {
        let call = builder::setup_of(setup.as_ref())?;
        self.control(Control::EnableNode(node, call)).await
    }

    /// With `disable_servers`: the server runs `server_setup` (with the
    /// arguments of `setup`, when given) and takes jobs.
    ///
    /// # Errors
    ///
    /// As [`enable_node`](Client::enable_node).
    pub async fn enable_server<R>(
        &self,
        server: Location,
        setup: Option<TaskSpec<R>>,
    ) -> Result<(), DispycosError> {
        let call = builder::setup_of(setup.as_ref())?;
        self.control(Control::EnableServer(server, call)).await
    }

    /// Closes a server: it waits for its jobs (or, with `terminate`,
    /// interrupts them), then ends; with `restart`, the node starts a new
    /// one in its place.
    ///
    /// # Errors
    ///
    /// As [`suspend_node`](Client::suspend_node).
    pub async fn close_server(
        &self,
        server: Location,
        terminate: bool,
        restart: bool,
    ) -> Result<(), DispycosError> {
        self.control(Control::CloseServer {
            server,
            terminate,
            restart,
        })
        .await
    }

    /// [`close_server`](Client::close_server) with a restart: a fresh
    /// process, with pristine state.
    ///
    /// # Errors
    ///
    /// As [`suspend_node`](Client::suspend_node).
    pub async fn restart_server(
        &self,
        server: Location,
        terminate: bool,
    ) -> Result<(), DispycosError> {
        self.close_server(server, terminate, true).await
    }

    /// Closes every server of the node and releases it.
    ///
    /// # Errors
    ///
    /// As [`suspend_node`](Client::suspend_node).
    pub async fn close_node(
        &self,
        node: std::net::IpAddr,
        terminate: bool,
    ) -> Result<(), DispycosError> {
        self.control(Control::CloseNode {
            node,
            terminate,
            restart: false,
        })
        .await
    }

    /// Adds (or replaces, for the same node pattern) an allocation rule
    /// at run time, before the catch-all.
    ///
    /// # Errors
    ///
    /// [`DispycosError::NotScheduled`], [`DispycosError::TimedOut`].
    pub async fn node_allocate(&self, rule: NodeAllocate) -> Result<(), DispycosError> {
        self.control(Control::NodeAllocate(rule)).await
    }

    /// Whether to abandon the jobs of a node (or of every node, `None`)
    /// that stays silent for the zombie period.
    ///
    /// # Errors
    ///
    /// As [`suspend_node`](Client::suspend_node).
    pub async fn abandon_zombie(&self, at: Option<Where>, flag: bool) -> Result<(), DispycosError> {
        self.control(Control::AbandonZombie(at, flag)).await
    }

    /// Closes the client: waits for its CPU jobs (and I/O jobs with
    /// `await_io`; `terminate` ends them instead), closes every server and
    /// node (ServerClosed, the node's status, then ClientClosed) and lets
    /// the scheduler serve its next client. At most `timeout` when given.
    /// Nothing to do when not scheduled.
    ///
    /// # Errors
    ///
    /// [`DispycosError::TimedOut`], [`DispycosError::Refused`].
    pub async fn close(
        &self,
        await_io: bool,
        terminate: bool,
        timeout: Option<Duration>,
    ) -> Result<(), DispycosError> {
        let Ok(sched) = self.scheduler() else {
            return Ok(());
        };
        let client = self.inner.id;
        let reply = ask(&sched, timeout, |reply| ToScheduler::Close {
            client,
            await_io,
            terminate,
            reply,
        })
        .await?;
        *lock(&self.inner.scheduler) = None;
        match reply {
            SchedulerReply::Closed => Ok(()),
            other => Err(refusal(other)),
        }
    }
}

/// Sends the executable and the dependencies to a scheduler in another
/// process, which passes them on to its nodes; the spec then names them
/// under that scheduler's `dest_path`.
async fn upload(node: &Node, at: Location, spec: &mut ClientSpec) -> Result<(), DispycosError> {
    let dir = format!("dispycos/clients/{:016x}", spec.id);
    let limit = msg_timeout().max(Duration::from_secs(30));
    let mut sent = Vec::new();
    for path in std::iter::once(&spec.exe_path).chain(&spec.dependencies) {
        node.send_file(at, path, Some(&dir), true, limit)
            .await
            .map_err(|err| {
                DispycosError::Refused(format!("cannot send {path} to the scheduler: {err}"))
            })?;
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        sent.push(format!("{dir}/{name}"));
    }
    spec.exe_path = sent.remove(0);
    spec.dependencies = sent;
    spec.uploaded = true;
    Ok(())
}

fn msg_timeout() -> Duration {
    Node::current().map_or(Duration::from_secs(10), |node| node.state().msg_timeout())
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn refusal(reply: SchedulerReply) -> DispycosError {
    match reply {
        SchedulerReply::Refused(why) => DispycosError::Refused(why),
        other => DispycosError::Refused(format!("unexpected answer {other:?}")),
    }
}

/// Sends the request `make(reply)` to the scheduler and waits (at most
/// `limit`) for its answer, in a task of its own so the caller's mailbox
/// (often the status task's) is left alone.
async fn ask(
    sched: &Task,
    limit: Option<Duration>,
    make: impl FnOnce(Task) -> ToScheduler,
) -> Result<SchedulerReply, DispycosError> {
    let waiter = Task::new(await_reply(limit.map(|l| l.as_secs_f64())));
    sched
        .send(make(waiter.untyped()))
        .map_err(|err| DispycosError::Refused(err.to_string()))?;
    match waiter.finish().await {
        Ok(Some(reply)) => Ok(reply),
        Ok(None) => Err(DispycosError::TimedOut),
        Err(err) => Err(DispycosError::Refused(err.to_string())),
    }
}

#[task]
fn await_reply(limit: Option<f64>, task: TaskCtx) -> Option<SchedulerReply> {
    loop {
        let msg = match limit {
            Some(secs) => task.receive().timeout(secs).await?,
            None => task.receive().await,
        };
        if let Ok(reply) = msg.downcast::<SchedulerReply>() {
            return Some(reply);
        }
    }
}

/// The client's agent: answers the scheduler's pulses and allocation
/// questions.
#[task]
fn agent(allocator: Option<Arc<Allocator>>, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        match msg.downcast::<ToAgent>() {
            Ok(ToAgent::Pulse { scheduler, client }) => {
                let _ = scheduler.send(ToScheduler::ClientPulse { client });
            }
            Ok(ToAgent::Allocate {
                node,
                memory,
                disk,
                reply,
            }) => {
                let cpus = allocator
                    .as_ref()
                    .map_or(-1, |allocate| allocate(&node, memory, disk));
                let _ = reply.send(cpus);
            }
            Ok(ToAgent::Abandoned { tasks, why }) => {
                for task in &tasks {
                    let error =
                        TaskError::from_parts(pycos::TaskErrorKind::Unreachable, why.clone());
                    pycos::remote::ended(task, Err(error));
                }
            }
            Err(_) => {}
        }
    }
}

/// Sends the status task a job's `MonitorStatus` when it ends (pycos'
/// status task hears of every job's end).
#[task]
fn report_end(job: Task, status: Task, task: TaskCtx) {
    task.set_daemon(true);
    let result = job.finish().await;
    let _ = status.send(MonitorStatus { task: job, result });
}
