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
/// #[pycos::test]
/// async fn watch(task: TaskCtx) {
///     let child = Task::new(fails());
///     task.monitor(&child).await.unwrap(); // the child has not run yet
///     let msg = task.receive().await;
///     let status = msg.downcast_ref::<MonitorStatus>().unwrap();
///     assert_eq!(status.task, child);
///     assert!(matches!(&status.result, Err(TaskError::Panicked(text)) if text == "boom"));
/// }
/// # fn main() {}
/// ```
#[derive(Debug, Clone)]
pub struct MonitorStatus {
    /// The task that ended.
    pub task: Task,
    /// Its value, or how it failed.
    pub result: Result<Msg, TaskError>,
}
