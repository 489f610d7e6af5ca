//! [`MonitorStatus`]: the message a monitor receives when a task ends.

use super::{Task, TaskError};
use crate::Msg;

/// Sent to each monitor of a task when it ends (pycos'
/// `MonitorStatus(info, type, value)`): which task, and its value or how it
/// failed (error text, panic text, thrown error, terminated).
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn fails() {
///     panic!("boom");
/// }
///
/// #[task]
/// fn watch(task: TaskCtx) -> bool {
///     let child = Task::new(fails());
///     task.monitor(&child).await.unwrap(); // the child has not run yet
///     let msg = task.receive().await;
///     let status = msg.downcast_ref::<MonitorStatus>().unwrap();
///     status.task == child
///         && matches!(&status.result, Err(TaskError::Panicked(text)) if text == "boom")
/// }
///
/// let sched = Pycos::new();
/// assert!(sched.spawn(watch()).value().unwrap());
/// sched.finish().unwrap();
/// ```
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MonitorStatus {
    /// The task that ended.
    pub task: Task,
    /// Its value, or how it failed.
    pub result: Result<Msg, TaskError>,
}
