//! RPS ("Remote Pico Service", pycos' `RPS`): task functions that clients
//! on other nodes create by name, with typed arguments and results.
//!
//! A server marks a task function `#[task(remote)]` (see [`pycos::rps`])
//! and publishes it: [`Rps::<f>::register()`](Rps::register). A client
//! built from the same source names the same function's type to find a
//! peer that publishes it, [`Rps::<f>::locate`](Rps::locate), and gets a
//! typed proxy: [`call`](Rps::call) takes the function's own argument
//! tuple (checked at compile time) and gives the remote task as a
//! `Task<R>`, whose `finish` gives the function's value `R` or how the
//! remote task failed (error, panic, throw, termination, or unreachable
//! when its node is lost). A peer that publishes the name with other
//! argument or result types is refused at `locate`, naming both
//! signatures.
//!
//! As in pycos, `locate` is always a network query (a node does not find
//! its own functions), [`monitor`](Rps::monitor) forwards the
//! `MonitorStatus` of every task created through the proxy to a task, and
//! [`close`](Rps::close) terminates those that have not ended.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use pycos::prelude::*;
//! use pycos_net::{Node, Rps};
//!
//! /// Runs on the server; clients create it by name.
//! #[task(remote)]
//! fn compute(n: u64, delay: f64, task: TaskCtx) -> Result<u64, String> {
//!     if n == 0 {
//!         return Err("zero is not allowed".into());
//!     }
//!     task.sleep(delay).await;
//!     Ok(n * n)
//! }
//!
//! // Server (one program):
//! fn server() -> Result<(), Box<dyn std::error::Error>> {
//!     Node::builder().start()?;
//!     Rps::<compute>::register()?;
//!     // ... serve until asked to stop
//!     Ok(())
//! }
//!
//! // Client (another program, built from the same source):
//! #[task]
//! fn client(task: TaskCtx) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//!     let rps = Rps::<compute>::locate(None, Duration::from_secs(5)).await?;
//!     rps.monitor(&task.handle()).await;
//!     let remote: Task<u64> = rps.call((7, 0.5)).await?; // the function's own types
//!     assert_eq!(remote.finish().await?, 49);
//!     let failed = rps.call((0, 0.0)).await?.finish().await.unwrap_err();
//!     assert!(failed.to_string().contains("zero is not allowed"));
//!     rps.close(); // terminates the calls still running
//!     Ok(())
//! }
//! ```

mod error;
mod locate;
pub(crate) mod serve;

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pycos::rps::{Entry, RemoteFn};
use pycos::{Task, WaitExt};

pub(crate) use error::Refusal;
pub use error::RpsError;

use crate::node::peer::Peer;
use crate::node::requests::{Failure, Reply, oneshot};
use crate::node::state::NodeState;
use crate::proto::{Answer, Op};
use crate::util::lock;
use crate::{Location, Node};

/// A typed proxy of the remote task function `F` at one peer: what
/// [`locate`](Rps::locate) gives. Cheap to clone; the clones share the
/// proxy's monitors and outstanding tasks.
///
/// The type also publishes `F` on this node: [`register`](Rps::register)
/// and [`unregister`](Rps::unregister).
pub struct Rps<F: RemoteFn> {
    inner: Arc<Inner>,
    _fn: PhantomData<fn() -> F>,
}

struct Inner {
    node: Arc<NodeState>,
    peer: Arc<Peer>,
    location: Location,
    /// Tasks created through this proxy that had not ended when last
    /// looked at.
    outstanding: Mutex<Vec<Task>>,
    monitors: Mutex<Vec<Task>>,
    closed: AtomicBool,
}

fn node() -> Result<Arc<NodeState>, RpsError> {
    Node::current()
        .map(|node| node.state().clone())
        .ok_or(RpsError::NoNode)
}

impl<F: RemoteFn> Rps<F> {
    /// Publishes `F` on this process's node, under [`F::NAME`](RemoteFn::NAME):
    /// peers may then locate and call it. Also registers `F`'s result type
    /// as a message type (needed by `#[message(manual)]` types).
    ///
    /// # Errors
    ///
    /// [`RpsError::AlreadyRegistered`] when a function is published under
    /// the name already (pycos' `register()` returning -1).
    #[track_caller]
    pub fn register() -> Result<(), RpsError> {
        let caller = std::panic::Location::caller();
        register_output::<F>();
        if serve::publish(Entry::of::<F>(caller.file(), caller.line())) {
            tracing::debug!(rps = F::NAME, "RPS registered");
            Ok(())
        } else {
            Err(RpsError::AlreadyRegistered { name: F::NAME })
        }
    }

    /// Withdraws `F` from this node: later calls from peers are refused
    /// as not registered (tasks already created go on). `false` if it was
    /// not published.
    pub fn unregister() -> bool {
        serve::withdraw(F::NAME)
    }

    /// Finds a peer that publishes `F` with `F`'s signature: the peer at
    /// `at` (linked to first if needed), or the first of every peer to
    /// answer so within `timeout`. Always a network query, as pycos'.
    ///
    /// # Errors
    ///
    /// [`RpsError::SignatureMismatch`] when the only peers publishing the
    /// name have other types (both signatures in the error);
    /// [`RpsError::NotFound`] when none publishes it (at once when `at`
    /// answers so; else after `timeout`); [`RpsError::NoNode`].
    pub async fn locate(
        at: Option<Location>,
        timeout: impl Into<Duration>,
    ) -> Result<Rps<F>, RpsError> {
        let node = node()?;
        register_output::<F>();
        let seen = locate::find(&node, F::NAME, F::SIGNATURE, at, timeout.into()).await;
        match (seen.found, seen.other) {
            (Some(location), _) => Ok(Rps::at(node, location)),
            (None, Some((at, signature, types))) => Err(RpsError::SignatureMismatch {
                name: F::NAME,
                ours: (F::SIGNATURE, F::SIGNATURE_TEXT),
                at,
                theirs: (signature, types),
            }),
            (None, None) => Err(RpsError::NotFound { name: F::NAME }),
        }
    }

    fn at(node: Arc<NodeState>, location: Location) -> Rps<F> {
        let peer = node.peer_at(location);
        Rps {
            inner: Arc::new(Inner {
                node,
                peer,
                location,
                outstanding: Mutex::new(Vec::new()),
                monitors: Mutex::new(Vec::new()),
                closed: AtomicBool::new(false),
            }),
            _fn: PhantomData,
        }
    }

    /// The remote function's name.
    pub fn name(&self) -> &'static str {
        F::NAME
    }

    /// The peer that serves this proxy.
    pub fn location(&self) -> Location {
        self.inner.location
    }

    /// Creates the task `F(args)` at the peer and gives its handle, typed
    /// by `F`'s result: `finish().await` gives the value or the remote
    /// failure. The handle is watched from the start, so the outcome of
    /// a task that ends at once is not lost.
    ///
    /// # Errors
    ///
    /// On the caller's side, never a hang: [`RpsError::NotRegistered`]
    /// (the peer withdrew it), [`RpsError::BadArgs`] (the peer could not
    /// decode the arguments), [`RpsError::NotSerializable`],
    /// [`RpsError::Unreachable`], [`RpsError::TimedOut`] (within the
    /// node's message timeout; whether the task exists is then unknown),
    /// [`RpsError::Closed`].
    pub async fn call(&self, args: F::Args) -> Result<Task<F::Output>, RpsError> {
        let inner = &self.inner;
        if inner.closed.load(Ordering::Acquire) {
            return Err(RpsError::Closed { name: F::NAME });
        }
        let call = Call {
            name: F::NAME,
            signature: F::SIGNATURE,
            signature_text: F::SIGNATURE_TEXT,
            args: crate::wire::encode(&args)
                .map_err(|err| RpsError::NotSerializable(err.to_string()))?,
        };
        let task = create(&inner.node, &inner.peer, inner.location, call).await?;
        self.track(&task);
        Ok(Task::from_untyped_remote(task))
    }

    /// Remembers a new task and gives it the proxy's monitors.
    fn track(&self, task: &Task) {
        let monitors = lock(&self.inner.monitors).clone();
        for monitor in &monitors {
            let _ = task.notify(monitor);
        }
        let mut outstanding = lock(&self.inner.outstanding);
        outstanding.retain(Task::is_alive);
        outstanding.push(task.clone());
    }

    /// Makes `monitor` receive the [`MonitorStatus`](pycos::MonitorStatus)
    /// of every task created through this proxy (and its clones): those
    /// running now and those created later (pycos' `rps.monitor(task)`).
    /// A wait, as [`TaskCtx::monitor`](pycos::TaskCtx::monitor) is: it
    /// completes once the monitor is in place.
    pub async fn monitor<M>(&self, monitor: &Task<M>) {
        let monitor = monitor.untyped();
        {
            let mut monitors = lock(&self.inner.monitors);
            if monitors.contains(&monitor) {
                return;
            }
            monitors.push(monitor.clone());
        }
        let outstanding = lock(&self.inner.outstanding).clone();
        for task in &outstanding {
            let _ = task.notify(&monitor);
        }
    }

    /// Terminates the tasks created through this proxy that have not
    /// ended, and refuses further calls ([`RpsError::Closed`]). Gives how
    /// many tasks it asked to terminate; their `finish` and monitors then
    /// report [`TaskError::Terminated`](pycos::TaskError::Terminated).
    pub fn close(&self) -> usize {
        self.inner.closed.store(true, Ordering::Release);
        let outstanding = std::mem::take(&mut *lock(&self.inner.outstanding));
        outstanding
            .iter()
            .filter(|task| task.is_alive() && task.terminate().is_ok())
            .count()
    }
}

/// One call to create at a peer: the function's name and signature, and
/// its encoded argument tuple.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) name: &'static str,
    pub(crate) signature: u64,
    pub(crate) signature_text: &'static str,
    pub(crate) args: Vec<u8>,
}

impl Call {
    /// The call a `#[task(remote)]` spec describes, its arguments encoded.
    pub(crate) fn of(call: pycos::rps::RemoteCall<'_>) -> Result<Call, RpsError> {
        Ok(Call {
            name: call.name(),
            signature: call.signature(),
            signature_text: call.signature_text(),
            args: crate::wire::encode(call.args())
                .map_err(|err| RpsError::NotSerializable(err.to_string()))?,
        })
    }
}

/// Creates the task of `call` at the peer `at` and gives its (untyped)
/// handle, watched from the start so a task that ends at once keeps its
/// outcome. Errors as [`Rps::call`]'s.
pub(crate) async fn create(
    node: &Arc<NodeState>,
    peer: &Arc<Peer>,
    at: Location,
    call: Call,
) -> Result<Task, RpsError> {
    let name = call.name;
    let op = Op::RunRps {
        name: name.to_owned(),
        signature: call.signature,
        args: call.args,
    };
    let (filler, answered) = oneshot();
    // Watch at once, from the reader, before anything else runs.
    let reply = Reply::new(move |answer| {
        if let Ok(Answer::RpsStarted(task)) = &answer {
            pycos::remote::watch(task);
        }
        filler.answer(answer);
    });
    let id = node.request(peer, None, &op, reply);
    let answer = match answered.timeout(node.msg_timeout()).await {
        Some(answer) => answer,
        None => {
            node.forget(peer, id);
            return Err(RpsError::TimedOut);
        }
    };
    match answer {
        Ok(Answer::RpsStarted(task)) => Ok(task),
        Ok(Answer::RpsRefused(Refusal::NotRegistered)) => Err(RpsError::NotRegistered { name, at }),
        Ok(Answer::RpsRefused(Refusal::Signature { signature, types })) => Err(RpsError::BadArgs {
            name,
            why: format!(
                "it has the signature {types} {signature:#018x} now, this program's is {} {:#018x}",
                call.signature_text, call.signature
            ),
        }),
        Ok(Answer::RpsRefused(Refusal::BadArgs(why))) => Err(RpsError::BadArgs { name, why }),
        Ok(Answer::Failed(why)) => Err(RpsError::Refused(why)),
        Ok(other) => Err(RpsError::Refused(format!("unexpected answer {other:?}"))),
        Err(Failure::Unreachable(why)) => Err(RpsError::Unreachable(why)),
        Err(Failure::TimedOut) => Err(RpsError::TimedOut),
    }
}

/// Registers `F`'s result type, so that the value decodes (idempotent;
/// a clash is the start-up check's to report).
fn register_output<F: RemoteFn>() {
    if let Err(err) = pycos::message::register::<F::Output>() {
        tracing::warn!(rps = F::NAME, %err, "the result type of an RPS cannot be registered");
    }
}

impl<F: RemoteFn> Clone for Rps<F> {
    fn clone(&self) -> Self {
        Rps {
            inner: self.inner.clone(),
            _fn: PhantomData,
        }
    }
}

impl<F: RemoteFn> fmt::Debug for Rps<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rps")
            .field("name", &F::NAME)
            .field("location", &self.inner.location)
            .finish_non_exhaustive()
    }
}

impl<F: RemoteFn> PartialEq for Rps<F> {
    /// As pycos': the same name at the same peer.
    fn eq(&self, other: &Self) -> bool {
        self.inner.location == other.inner.location
    }
}

impl<F: RemoteFn> Eq for Rps<F> {}
