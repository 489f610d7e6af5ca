//! [`Located`]: where a task or channel lives (pycos' `task.location`).

use pycos::{Channel, Task};

use crate::{Location, Node};

/// Where a task or channel lives: pycos' `task.location`.
///
/// A handle of a task or channel on another node gives that node's
/// location; a local one gives this node's, or `None` when the process
/// is not a node.
///
/// ```
/// use pycos::prelude::*;
/// use pycos_net::Located;
///
/// #[task]
/// fn local() {}
///
/// let sched = Pycos::new();
/// let task = sched.spawn(local());
/// // Not a node (no `Node::builder().start()` in this process): nowhere.
/// assert_eq!(task.location(), None);
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Located {
    /// The location of the node the task or channel lives on.
    fn location(&self) -> Option<Location>;
}

impl<R> Located for Task<R> {
    fn location(&self) -> Option<Location> {
        match self.untyped().remote_ref() {
            Some(remote) => remote.location.parse().ok(),
            None => here(),
        }
    }
}

impl Located for Channel {
    fn location(&self) -> Option<Location> {
        match self.remote_ref() {
            Some(remote) => remote.location.parse().ok(),
            None => here(),
        }
    }
}

fn here() -> Option<Location> {
    Node::current().map(|node| node.location())
}
