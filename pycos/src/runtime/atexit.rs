//! Shutdown hooks run by `finish`/`terminate` (pycos' `Pycos.atexit`).

use std::sync::atomic::{AtomicU64, Ordering};

/// Identifies a hook, to remove it with
/// [`Pycos::drop_atexit`](crate::Pycos::drop_atexit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AtexitId(u64);

type Hook = Box<dyn FnOnce() + Send>;

/// Hooks ordered by priority, highest first; equal priorities run in the
/// order they were added.
#[derive(Default)]
pub(crate) struct Hooks {
    hooks: Vec<(i32, AtexitId, Hook)>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Hooks {
    pub(crate) fn add(&mut self, priority: i32, hook: Hook) -> AtexitId {
        let id = AtexitId(NEXT_ID.fetch_add(1, Ordering::Relaxed));
        let at = self.hooks.partition_point(|(p, _, _)| *p >= priority);
        self.hooks.insert(at, (priority, id, hook));
        id
    }

    pub(crate) fn remove(&mut self, id: AtexitId) -> bool {
        let before = self.hooks.len();
        self.hooks.retain(|(_, hook_id, _)| *hook_id != id);
        self.hooks.len() != before
    }

    pub(crate) fn take(&mut self) -> Vec<Hook> {
        self.hooks.drain(..).map(|(_, _, hook)| hook).collect()
    }
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("len", &self.hooks.len())
            .finish()
    }
}
