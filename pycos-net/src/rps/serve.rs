//! The serving side: the functions this node publishes, and the answers
//! to a peer's `LocateRps` and `RunRps`.
//!
//! One table per process (a process is one node). A `RunRps` is served
//! on the link's reader, inside its wire context, so handles among the
//! arguments decode as the caller's; the task is spawned on the node's
//! scheduler and exported before the answer carries its handle back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use pycos::rps::Entry;

use super::error::Refusal;
use crate::node::state::NodeState;
use crate::proto::Answer;

static PUBLISHED: Mutex<Option<HashMap<&'static str, Entry>>> = Mutex::new(None);

fn published() -> MutexGuard<'static, Option<HashMap<&'static str, Entry>>> {
    crate::util::lock(&PUBLISHED)
}

/// Publishes `entry`; `false` if its name is taken.
pub(super) fn publish(entry: Entry) -> bool {
    let mut table = published();
    let table = table.get_or_insert_with(HashMap::new);
    if table.contains_key(entry.name()) {
        return false;
    }
    table.insert(entry.name(), entry);
    true
}

/// Withdraws `name`; `false` if it was not published.
pub(super) fn withdraw(name: &str) -> bool {
    published()
        .as_mut()
        .is_some_and(|table| table.remove(name).is_some())
}

fn find(name: &str) -> Option<Entry> {
    let published = published()
        .as_ref()
        .and_then(|table| table.get(name).copied());
    published.or_else(|| JOBS.get().and_then(|_| pycos::rps::entry(name)))
}

/// A dispycos server's rules for the tasks peers create on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JobGate {
    /// Whether a new job may start now; the reason when not.
    pub(crate) admit: fn() -> Result<(), String>,
    /// Told of each job as it is created, before it runs.
    pub(crate) started: fn(&pycos::Task),
}

static JOBS: std::sync::OnceLock<JobGate> = std::sync::OnceLock::new();

/// Serves every remote function of this executable, not only the
/// published ones, under `gate` (a dispycos server process, which runs its
/// client's own executable). Once per process; `false` if already set.
pub(crate) fn serve_every_function(gate: JobGate) -> bool {
    JOBS.set(gate).is_ok()
}

/// The answer to `LocateRps { name }`.
pub(crate) fn locate(name: &str) -> Answer {
    match find(name) {
        Some(entry) => Answer::RpsFound {
            signature: entry.signature(),
            types: entry.signature_text().to_owned(),
        },
        None => Answer::RpsRefused(Refusal::NotRegistered),
    }
}

/// The answer to `RunRps`: the task created, or why not.
pub(crate) fn run(node: &Arc<NodeState>, name: &str, signature: u64, args: &[u8]) -> Answer {
    let Some(entry) = find(name) else {
        return Answer::RpsRefused(Refusal::NotRegistered);
    };
    if entry.signature() != signature {
        return Answer::RpsRefused(Refusal::Signature {
            signature: entry.signature(),
            types: entry.signature_text().to_owned(),
        });
    }
    let spec = match crate::wire::decode_seed(args, node.cfg.max_frame, entry.seed()) {
        Ok(spec) => spec,
        Err(err) => {
            return Answer::RpsRefused(Refusal::BadArgs(format!(
                "arguments of type {} expected: {err}",
                entry.signature_text()
            )));
        }
    };
    if let Some(gate) = JOBS.get()
        && let Err(why) = (gate.admit)()
    {
        return Answer::Failed(why);
    }
    let task = node.sched.spawn(spec);
    if let Some(gate) = JOBS.get() {
        (gate.started)(&task);
    }
    // Before the task can run (this is its scheduler's thread, busy
    // here) and end: a quick task stays watchable.
    pycos::remote::export(&task);
    tracing::debug!(rps = name, %task, "RPS task created");
    Answer::RpsStarted(task)
}
