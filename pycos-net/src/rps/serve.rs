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
    published().as_ref()?.get(name).copied()
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
    let task = node.sched.spawn(spec);
    // Before the task can run (this is its scheduler's thread, busy
    // here) and end: a quick task stays watchable.
    pycos::remote::export(&task);
    tracing::debug!(rps = name, %task, "RPS task created");
    Answer::RpsStarted(task)
}
