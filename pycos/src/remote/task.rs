//! Remote task references: proxies, exports and their resolution.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, Weak};

use crate::task::header::Header;
use crate::{Msg, Pycos, Task, TaskError, TaskId};

/// A task on another node, as a peer names it: where, which, what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteTask {
    /// The node's address as it prints (`ip:port`); opaque to the core.
    pub location: Arc<str>,
    /// The task's id on its node.
    pub id: TaskId,
    /// The task's name on its node.
    pub name: Arc<str>,
}

impl fmt::Display for RemoteTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}@{}", self.name, self.id, self.location)
    }
}

/// A peer's reference named a task of this node that is not (or no longer)
/// exported here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownTask(pub TaskId);

impl fmt::Display for UnknownTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no task with id {:?} on this node", self.0)
    }
}

impl std::error::Error for UnknownTask {}

impl Task {
    /// The handle for `remote`, reached through `sched`'s hook. A reference
    /// to a task of this very node (our incarnation) resolves to the local
    /// task itself, so a handle that went out and came back is the original.
    ///
    /// # Errors
    ///
    /// [`UnknownTask`] for an id of this node that was never given out, and
    /// when `sched` has no hook to reach other nodes. A reference to a task
    /// of this node that has ended (no longer exported) gives a handle to
    /// an ended task with that id and name: equal to the handles still
    /// held here, and sending to it fails as ended, so that a message
    /// carrying it still arrives.
    #[doc(hidden)]
    pub fn from_remote(sched: &Pycos, remote: RemoteTask) -> Result<Task, UnknownTask> {
        if remote.id.incarnation() == crate::id::incarnation() {
            if let Some(task) = resolve(remote.id) {
                return Ok(task);
            }
            let serial = remote.id.serial();
            if !crate::id::was_issued(serial) {
                return Err(UnknownTask(remote.id));
            }
            let name = crate::id::intern_remote(&remote.name);
            return Ok(Task::from_header(Header::forgotten(
                sched.shared.clone(),
                serial,
                name,
            )));
        }
        if sched.shared.hook.get().is_none() {
            return Err(UnknownTask(remote.id));
        }
        Ok(Task::from_header(Header::new_remote(
            sched.shared.clone(),
            remote,
        )))
    }

    /// The same handle typed as `Task<R>`: for the RPS proxy, whose
    /// remote task's value is known to be an `R` because the function's
    /// signature hash matched. Nothing unsafe hangs on it: a value of
    /// another type makes `finish` report the task as terminated (and log
    /// the mismatch), as for any handle typed wrongly.
    #[doc(hidden)]
    pub fn from_untyped_remote<R>(task: Task) -> Task<R> {
        Task::from_header(task.header)
    }

    /// The remote reference of a proxy; `None` for a local task.
    #[doc(hidden)]
    pub fn remote_ref(&self) -> Option<RemoteTask> {
        self.header.remote().map(|(_, target)| target)
    }
}

/// Local tasks peers may name by id: one table for the process, whose ids
/// are unique across its schedulers.
static EXPORTS: Mutex<Option<Exports>> = Mutex::new(None);

/// How many ended exported tasks stay reachable by id, so that a peer
/// that asks for the outcome just after the end (a remote `finish` of a
/// quick task) still gets it rather than "unknown".
const KEEP_ENDED: usize = 1024;

#[derive(Default)]
struct Exports {
    by_id: HashMap<TaskId, Weak<Header>>,
    /// The most recently ended exported tasks, oldest first: held so their
    /// outcomes outlive the last local handle for a while.
    ended: VecDeque<Arc<Header>>,
}

/// Makes a local task reachable by its id from peers (what the network
/// layer does when it sends a handle), until a while after it ends.
pub fn export<R>(task: &Task<R>) {
    let header = &task.header;
    if header.is_remote() {
        return; // peers reach it at its own node
    }
    {
        let mut state = header.lock();
        if state.outcome.is_some() {
            return; // gone before a peer could ask
        }
        state.rare().exported = true;
    }
    crate::util::lock(&EXPORTS)
        .get_or_insert_with(Exports::default)
        .by_id
        .insert(task.id(), Arc::downgrade(header));
}

/// An exported task ended: it stays reachable (for its outcome) among the
/// last [`KEEP_ENDED`] that ended, then peers hear "unknown".
pub(crate) fn unexport(header: &Arc<Header>) {
    let mut exports = crate::util::lock(&EXPORTS);
    let Some(exports) = exports.as_mut() else {
        return;
    };
    exports.ended.push_back(header.clone());
    if exports.ended.len() > KEEP_ENDED
        && let Some(oldest) = exports.ended.pop_front()
    {
        exports.by_id.remove(&oldest.id());
    }
}

/// The exported local task with `id`, of any scheduler of this process
/// (ids are unique across them); it may have ended recently.
pub fn resolve(id: TaskId) -> Option<Task> {
    let exports = crate::util::lock(&EXPORTS);
    let header = exports.as_ref()?.by_id.get(&id)?.upgrade()?;
    Some(Task::from_header(header))
}

/// Asks the hook to watch the proxy `task` now (as its first `finish`
/// or monitor would), so that its outcome is kept from the moment it is
/// known: the RPS proxy does so as soon as a call's task exists. Nothing
/// for a local task or one watched already.
pub fn watch<R>(task: &Task<R>) {
    task.header.watch_if_remote();
}

/// Reports the end of the remote task behind the proxy `task` (called by
/// the hook after [`watch`](super::Hook::watch)): its `finish`, `value`
/// and monitors then see `outcome`. A second report is ignored.
pub fn ended(task: &Task, outcome: Result<Msg, TaskError>) {
    if task.header.is_remote() && task.header.is_alive() {
        task.header.sched.end_task(&task.header, outcome);
    }
}
