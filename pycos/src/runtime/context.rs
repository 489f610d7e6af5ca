//! The scheduler thread's thread-local context: which core runs here and
//! which task it is polling.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::Shared;
use super::scheduler::Core;
use crate::TaskId;
use crate::task::header::Header;
use crate::task::pause::Pause;

pub(crate) const NO_SCHEDULER: &str = "pycos waits (timeouts, sleeps, I/O) must be awaited inside a pycos task: \
     start the code with `Task::new` or `#[pycos::test]`";

thread_local! {
    static CORE: RefCell<Option<Rc<Core>>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's scheduler core, if this is a scheduler thread.
pub(crate) fn with_core<T>(f: impl FnOnce(&Core) -> T) -> Option<T> {
    CORE.try_with(|cell| cell.borrow().as_ref().map(|core| f(core)))
        .ok()
        .flatten()
}

/// Installs `core` as this thread's scheduler for the thread's lifetime.
pub(crate) fn enter(core: Rc<Core>) {
    CORE.with(|cell| *cell.borrow_mut() = Some(core));
}

/// Removes this thread's core (at scheduler exit), so it can be dropped.
pub(crate) fn exit() {
    CORE.with(|cell| cell.borrow_mut().take());
}

/// Whether the calling thread is `shared`'s scheduler thread.
pub(crate) fn is_scheduler_thread(shared: &Arc<Shared>) -> bool {
    with_core(|core| Arc::ptr_eq(&core.shared, shared)).unwrap_or(false)
}

/// The task being polled pauses at `place` (its `Point`s and `.catch()`es
/// say so; the scheduler records it when the poll returns).
pub(crate) fn note_pause(place: Pause) {
    with_core(|core| core.note_pause(place));
}

/// The task being polled on this thread.
pub(crate) fn current_header() -> Option<Arc<Header>> {
    with_core(|core| core.current()).flatten()
}

/// The id of the task being polled on this thread.
pub(crate) fn current_task_id() -> Option<TaskId> {
    with_core(|core| core.current_id()).flatten()
}
