//! Starting a task whose arguments are not `Send`, on the calling task's
//! own scheduler: [`TaskCtx::spawn_local`].

use super::spec::LocalTaskSpec;
use super::{Task, TaskCtx};

impl TaskCtx {
    /// Starts `spec`, made by a `#[task(local)]` function, as a task on this
    /// task's own scheduler, and returns its handle (`Send`, as any
    /// [`Task`]).
    ///
    /// The spec's arguments need not be `Send`: the new task shares this
    /// scheduler's thread with the caller, so the two may share
    /// `Rc<RefCell<_>>` state. A `LocalTaskSpec` and a `TaskCtx` both stay on
    /// the thread that made them, so the compiler checks that the spec is
    /// started there. Like [`Task::new`](crate::Task::new), the new task
    /// first runs at the caller's next await.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    ///
    /// use pycos::prelude::*;
    ///
    /// #[task(local)]
    /// fn count(counter: Rc<Cell<u32>>) {
    ///     counter.set(counter.get() + 1);
    /// }
    ///
    /// #[task]
    /// fn parent(task: TaskCtx) -> u32 {
    ///     let counter = Rc::new(Cell::new(0));
    ///     let child = task.spawn_local(count(counter.clone()));
    ///     child.finish().await.ok();
    ///     counter.get()
    /// }
    ///
    /// let sched = Pycos::new();
    /// assert_eq!(sched.spawn(parent()).value()?, 1);
    /// sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spawn_local<R: Send + Sync + 'static>(&self, spec: LocalTaskSpec<R>) -> Task<R> {
        // A task's own context is always local.
        crate::Pycos::from_shared(self.header.sched.clone()).spawn_local(spec)
    }
}
