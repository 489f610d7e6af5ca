//! The messages of `pico_service_task` and `pico_client_task`: a request
//! for the time that carries the handle of the task that wants the reply,
//! and the reply sent to that handle across the network.
//!
//! The wire names stay `pycos_examples::pico::…` wherever the types live.

use pycos::{Message, Task};
use serde::{Deserialize, Serialize};

/// A request: what (`time` is the only service), who gets the reply, and
/// how long serving it takes (seconds).
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::pico::Request")]
pub struct Request {
    /// The service asked for.
    pub req: String,
    /// The task the reply goes to.
    pub reply: Task,
    /// How long serving takes, in seconds (a stand-in for a slow sensor).
    pub delay: f64,
}

/// The answer, sent to the request's `reply` task.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::pico::Reply")]
pub struct Reply {
    /// What the service found.
    pub result: String,
    /// The service's task.
    pub from: Task,
}
