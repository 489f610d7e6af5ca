//! `use pycos::prelude::*;` brings the names a task program uses.

pub use crate::{
    Interrupt, IntoTimeout, MonitorStatus, Msg, Pycos, Task, TaskCtx, TaskError, TaskSpec, WaitExt,
    task,
};
