//! [`ClientBuilder`]: a client's options, checked as pycos checks them.

use std::path::PathBuf;
use std::sync::Arc;

use pycos::{Task, TaskSpec};

use super::{Allocator, Client, DispycosError};
use crate::Location;
use crate::dispycos::allocate::NodeAllocate;
use crate::dispycos::proto::SetupCall;

/// The shortest pulse interval, in seconds (pycos' `MinPulseInterval`).
pub const MIN_PULSE_INTERVAL: f64 = 10.0;
/// The longest pulse interval, in seconds (pycos' `MaxPulseInterval`).
pub const MAX_PULSE_INTERVAL: f64 = 100.0;

/// The options of a [`Client`] (pycos' `Client(...)` keyword arguments).
#[derive(Default)]
#[must_use = "a builder does nothing until `build`"]
pub struct ClientBuilder {
    pub(super) nodes: Vec<NodeAllocate>,
    pub(super) peers: Vec<Location>,
    pub(super) status: Option<Task>,
    pub(super) node_setup: Option<SetupCall>,
    pub(super) server_setup: Option<SetupCall>,
    pub(super) disable_nodes: bool,
    pub(super) disable_servers: bool,
    pub(super) pulse_interval: Option<f64>,
    pub(super) ping_interval: Option<f64>,
    pub(super) restart_servers: bool,
    pub(super) zombie_period: Option<f64>,
    pub(super) abandon_zombie_nodes: bool,
    pub(super) dependencies: Vec<PathBuf>,
    pub(super) allocator: Option<Arc<Allocator>>,
    pub(super) unchecked_pulse: bool,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("nodes", &self.nodes)
            .field("peers", &self.peers)
            .finish_non_exhaustive()
    }
}

fn setup_call<R>(spec: &TaskSpec<R>) -> Result<SetupCall, DispycosError> {
    let call = spec.remote().ok_or_else(|| DispycosError::NotRemote {
        name: spec.name().to_owned(),
    })?;
    let args = crate::wire::encode(call.args())
        .map_err(|err| DispycosError::Invalid(format!("setup arguments: {err}")))?;
    Ok(SetupCall {
        name: call.name().to_owned(),
        signature: call.signature(),
        args,
    })
}

pub(super) fn setup_of<R>(spec: Option<&TaskSpec<R>>) -> Result<Option<SetupCall>, DispycosError> {
    spec.map(setup_call).transpose()
}

impl ClientBuilder {
    /// Nodes to use, with an allocation rule each (pycos' `nodes=[...]`);
    /// rules are tried in order and a catch-all comes last.
    pub fn node(mut self, rule: NodeAllocate) -> Self {
        self.nodes.push(rule);
        self
    }

    /// A node daemon to reach directly at `location` (without discovery).
    pub fn peer(mut self, location: Location) -> Self {
        self.peers.push(location);
        self
    }

    /// The task that receives the status messages.
    pub fn status_task<R>(mut self, task: &Task<R>) -> Self {
        self.status = Some(task.untyped());
        self
    }

    /// Runs in every server process before it takes jobs (pycos'
    /// `node_setup`, which pycos runs once per node before forking its
    /// servers: a Rust process cannot be forked that way, so here each
    /// server runs it). A `#[task(remote)]` function returning `0` (or
    /// `()`) on success; its arguments are the spec's, or those given to
    /// [`Client::enable_node`] with `disable_nodes`.
    pub fn node_setup<R>(mut self, spec: TaskSpec<R>) -> Result<Self, DispycosError> {
        self.node_setup = Some(setup_call(&spec)?);
        Ok(self)
    }

    /// Runs in every server process after `node_setup` (pycos'
    /// `server_setup`); with `disable_servers`, once
    /// [`Client::enable_server`] gives its arguments.
    pub fn server_setup<R>(mut self, spec: TaskSpec<R>) -> Result<Self, DispycosError> {
        self.server_setup = Some(setup_call(&spec)?);
        Ok(self)
    }

    /// Initialise a discovered node only at [`Client::enable_node`].
    pub fn disable_nodes(mut self, on: bool) -> Self {
        self.disable_nodes = on;
        self
    }

    /// Run `server_setup` only at [`Client::enable_server`].
    pub fn disable_servers(mut self, on: bool) -> Self {
        self.disable_servers = on;
        self
    }

    /// Seconds between pulses, in 10..=100 (default 50).
    pub fn pulse_interval(mut self, secs: f64) -> Self {
        self.pulse_interval = Some(secs);
        self
    }

    /// A pulse interval below the minimum, for tests of zombie handling.
    #[doc(hidden)]
    pub fn pulse_interval_unchecked(mut self, secs: f64) -> Self {
        self.pulse_interval = Some(secs);
        self.unchecked_pulse = true;
        self
    }

    /// Seconds between discovery pings (at least the pulse interval).
    pub fn ping_interval(mut self, secs: f64) -> Self {
        self.ping_interval = Some(secs);
        self
    }

    /// Replace a server process that ends, for a pristine state.
    pub fn restart_servers(mut self, on: bool) -> Self {
        self.restart_servers = on;
        self
    }

    /// Seconds of silence after which a node or the client is a zombie
    /// (default 10 pulse intervals; 0 turns it off).
    pub fn zombie_period(mut self, secs: f64) -> Self {
        self.zombie_period = Some(secs);
        self
    }

    /// Abandon the jobs of zombie nodes.
    pub fn abandon_zombie_nodes(mut self, on: bool) -> Self {
        self.abandon_zombie_nodes = on;
        self
    }

    /// A file the servers need, sent to each node's directory (the parent
    /// of each server's working directory).
    pub fn dependency(mut self, path: impl Into<PathBuf>) -> Self {
        self.dependencies.push(path.into());
        self
    }

    /// Decides the CPUs of each node instead of the rules (pycos'
    /// overridden `DispycosNodeAllocate.allocate`): given the node and
    /// its available memory and disk, gives the CPUs (0 ignores it).
    /// Runs in the client's process, also with a remote scheduler.
    pub fn allocate(
        mut self,
        allocate: impl Fn(&crate::dispycos::NodeInfo, u64, u64) -> i64 + Send + Sync + 'static,
    ) -> Self {
        self.allocator = Some(Arc::new(allocate));
        self
    }

    /// Checks the options and makes the client.
    ///
    /// # Errors
    ///
    /// [`DispycosError::Invalid`] as pycos raises: a pulse interval out of
    /// 10..=100, a ping interval below it, `disable_*` without a status
    /// task, a zombie period below 5 pulse intervals.
    pub fn build(self) -> Result<Client, DispycosError> {
        let pulse = self.pulse_interval.unwrap_or(5.0 * MIN_PULSE_INTERVAL);
        if !self.unchecked_pulse && !(MIN_PULSE_INTERVAL..=MAX_PULSE_INTERVAL).contains(&pulse) {
            return Err(DispycosError::Invalid(format!(
                "pulse_interval {pulse} is not in {MIN_PULSE_INTERVAL}..={MAX_PULSE_INTERVAL}"
            )));
        }
        if let Some(ping) = self.ping_interval
            && ping < pulse
        {
            return Err(DispycosError::Invalid(format!(
                "ping_interval {ping} is below pulse_interval {pulse}"
            )));
        }
        if (self.disable_nodes || self.disable_servers) && self.status.is_none() {
            return Err(DispycosError::Invalid(
                "disable_nodes and disable_servers need a status task".into(),
            ));
        }
        let zombie = match self.zombie_period {
            None => 10.0 * pulse,
            Some(z) if z == 0.0 || self.unchecked_pulse || z >= 5.0 * pulse => z,
            Some(z) => {
                return Err(DispycosError::Invalid(format!(
                    "zombie_period {z} is below 5 × pulse_interval ({})",
                    5.0 * pulse
                )));
            }
        };
        let pulse = if zombie > 0.0 {
            pulse.min(zombie / 3.0)
        } else {
            pulse
        };
        Client::from_builder(self, pulse, zombie)
    }
}
