//! `use pycos::prelude::*;` brings the names a task program uses.

pub use crate::io::{AsyncFile, AsyncPipe, AsyncSocket};
pub use crate::{
    AsyncThreadPool, CategorizeMessages, Channel, Condition, Event, Lock, RLock, Semaphore,
    Subscriber,
};
pub use crate::{
    Interrupt, IntoTimeout, LocalTaskSpec, Message, MonitorStatus, Msg, Pycos, Task, TaskCtx,
    TaskError, TaskSpec, WaitExt, task,
};
