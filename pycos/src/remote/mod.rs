//! The seam the network layer plugs into (DESIGN §4.0). Hidden from the
//! public docs: pycos-net is its one user.
//!
//! A [`Task`] or [`Channel`] may stand for one that lives on another node.
//! Such a handle is a *proxy*: a local header (or channel) that carries the
//! remote reference ([`RemoteTask`], [`RemoteChannel`]) and no body. Every
//! operation on a handle asks one question first — local or remote? — and
//! sends a remote target's operation to the [`Hook`] that the networking
//! crate installed on the proxy's scheduler ([`install`]). pycos itself
//! never opens a connection.
//!
//! What a proxy does for itself, with no hook call:
//! - clone, compare, hash (by the remote id) and print as
//!   `name/serial@location`;
//! - `finish`, `value`, monitors and `is_alive` use the proxy's own outcome,
//!   which the hook sets with [`ended`] when the remote task ends — the
//!   first `finish`, `value` or monitor asks the hook to [`Hook::watch`] it.
//!
//! What goes through the hook: `send`, `deliver`, `resume`, `throw`,
//! `terminate`, `hot_swap`, `watch`, `locate` of names not found locally;
//! for channels `send`, `deliver`, `subscribe`, `unsubscribe`, `close` and
//! `locate`.
//!
//! The other direction — a peer naming one of our tasks or channels by id
//! — goes through [`export`] (make a local task reachable by its id) and
//! [`resolve`] / [`resolve_channel`]. A reference whose id is of this node
//! ([`Task::from_remote`] with our incarnation) resolves to the local task
//! itself: a handle that went out and came back is the original.
//!
//! Representation (chosen by measurement, DESIGN §4.0): a proxy is an
//! ordinary task header whose slot holds a sentinel ([`is_remote`]) and
//! whose rarely-used part holds the reference, so a local `Task` stays one
//! pointer and the header does not grow; checking "remote?" is one relaxed
//! load on every operation. Remote task names are interned like run-time
//! local names (see `crate::id`), up to a fixed number of distinct ones:
//! a cluster's tasks are named by its task functions, and a peer that
//! sends endless fresh names gets proxies named `<remote>` past the cap
//! (the reference keeps the real name) instead of growing this node.

mod channel;
mod task;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub use channel::{RemoteChannel, UnknownChannel, find_channel, resolve_channel};
pub(crate) use task::unexport;
pub use task::{RemoteTask, UnknownTask, ended, export, resolve, watch};

use crate::channel::{SendError as ChannelSendError, SubscribeError, UnsubscribeError};
use crate::{Channel, Msg, NotAlive, Pycos, SendError, Task, ThrowError, ThrownError};

/// A boxed future a hook returns for an operation that waits on a peer.
pub type HookFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// What the networking crate provides for remote targets; one per
/// scheduler, installed with [`install`]. Every method is called on the
/// thread that used the handle (a task's scheduler thread or any other):
/// none may block for long.
pub trait Hook: Send + Sync + 'static {
    /// `Task::send` to a remote task.
    ///
    /// # Errors
    ///
    /// The message back, with the reason (ended, unreachable, refused, not
    /// serializable).
    fn send(&self, to: &RemoteTask, msg: Msg) -> Result<(), SendError>;

    /// `Task::deliver`: waits for the peer's acknowledgement, up to
    /// `timeout` (none: the hook's default).
    fn deliver(
        &self,
        to: &RemoteTask,
        msg: Msg,
        timeout: Option<Duration>,
    ) -> HookFuture<Result<(), SendError>>;

    /// `Task::resume` / `wakeup`.
    ///
    /// # Errors
    ///
    /// [`NotAlive`] when the task is known to have ended.
    fn resume(&self, to: &RemoteTask, update: Msg) -> Result<(), NotAlive>;

    /// `Task::throw` (the error crosses as its text).
    ///
    /// # Errors
    ///
    /// The error back, with the reason.
    fn throw(&self, to: &RemoteTask, err: ThrownError) -> Result<(), ThrowError>;

    /// `Task::terminate`.
    ///
    /// # Errors
    ///
    /// [`NotAlive`] when the task is known to have ended.
    fn terminate(&self, to: &RemoteTask) -> Result<(), NotAlive>;

    /// `Task::hot_swap` to the task function `name` with `args` (its
    /// argument tuple, to serialize by the function's registration).
    ///
    /// # Errors
    ///
    /// [`NotAlive`] when the task is known to have ended.
    fn hot_swap(
        &self,
        to: &RemoteTask,
        name: &str,
        args: &(dyn std::any::Any + Send),
    ) -> Result<(), NotAlive>;

    /// Reports the end of `task` (a proxy of this hook's scheduler) by
    /// calling [`ended`] once it is known. Asked at most once per proxy.
    fn watch(&self, task: &Task);

    /// `Task::locate` of a name no local task holds: asks the peers.
    fn locate_task(&self, name: &str) -> HookFuture<Option<Task>>;

    /// `Channel::send` to a remote channel.
    ///
    /// # Errors
    ///
    /// The message back, with the reason.
    fn channel_send(&self, to: &RemoteChannel, msg: Msg) -> Result<(), ChannelSendError>;

    /// `Channel::deliver`: how many end recipients the message reached.
    fn channel_deliver(
        &self,
        to: &RemoteChannel,
        msg: Msg,
        n: usize,
        timeout: Option<Duration>,
    ) -> HookFuture<Result<usize, ChannelSendError>>;

    /// `Channel::subscribe` of a (local or remote) task or channel.
    fn channel_subscribe(
        &self,
        to: &RemoteChannel,
        subscriber: crate::Subscriber,
    ) -> HookFuture<Result<(), SubscribeError>>;

    /// `Channel::unsubscribe`.
    fn channel_unsubscribe(
        &self,
        to: &RemoteChannel,
        subscriber: crate::Subscriber,
    ) -> HookFuture<Result<(), UnsubscribeError>>;

    /// `Channel::locate` of a name no local channel holds.
    fn locate_channel(&self, name: &str) -> HookFuture<Option<Channel>>;

    /// Whether messages sent to the remote channel `from` reach `target`
    /// (the cycle check of a subscription across nodes), following at most
    /// `depth` more nodes. The default knows no hierarchy: `false`.
    fn channel_reaches(
        &self,
        from: &RemoteChannel,
        target: &Channel,
        depth: u32,
    ) -> HookFuture<bool> {
        let _ = (from, target, depth);
        Box::pin(async { false })
    }
}

/// A hook was installed on this scheduler already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyInstalled;

impl std::fmt::Display for AlreadyInstalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a remote hook is installed on this scheduler already")
    }
}

impl std::error::Error for AlreadyInstalled {}

/// Installs the networking crate's hook on `sched`, once.
///
/// # Errors
///
/// [`AlreadyInstalled`] if `sched` has one.
pub fn install(sched: &Pycos, hook: Arc<dyn Hook>) -> Result<(), AlreadyInstalled> {
    sched.shared.hook.set(hook).map_err(|_| AlreadyInstalled)
}

/// The hook installed on `sched`, if any.
pub fn hook(sched: &Pycos) -> Option<Arc<dyn Hook>> {
    sched.shared.hook.get().cloned()
}

/// This node's incarnation: the first part of every id it makes, chosen
/// once per process (see [`TaskId`](crate::TaskId)).
pub fn incarnation() -> u64 {
    crate::id::incarnation()
}

/// Whether `task` is a proxy of a task on another node.
pub fn is_remote<R>(task: &Task<R>) -> bool {
    task.header.is_remote()
}
