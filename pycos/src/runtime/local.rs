//! The core's side of [`TaskCtx::spawn_local`](crate::TaskCtx::spawn_local):
//! a task started from a spec that never leaves the scheduler's thread.

use std::sync::Arc;

use super::{Pycos, context};
use crate::task::header::Header;
use crate::task::spec::LocalTaskSpec;
use crate::task::{Task, TaskError};

impl Pycos {
    /// Starts a local spec on this scheduler, from its own thread (the only
    /// place a `TaskCtx` — the only caller — exists). Elsewhere, which
    /// cannot happen through the public API, the task ends as terminated
    /// without running.
    pub(crate) fn spawn_local<R>(&self, spec: LocalTaskSpec<R>) -> Task<R> {
        let header = Header::new(self.shared.clone(), spec.erased.name());
        self.shared.task_started();
        let mut spec = Some(spec.erased);
        context::with_core(|core| {
            if Arc::ptr_eq(&core.shared, &self.shared)
                && let Some(spec) = spec.take()
            {
                core.spawn_local(header.clone(), spec);
            }
        });
        if spec.is_some() {
            tracing::error!(
                scheduler = self.name(),
                "a local task can only start on its own scheduler's thread"
            );
            self.shared.end_task(&header, Err(TaskError::Terminated));
        }
        Task::from_header(header)
    }
}
