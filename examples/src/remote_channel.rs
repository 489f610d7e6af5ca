//! The message of `remote_channel_server` and `remote_channel_client`,
//! sent on the channel `2clients`.
//!
//! The wire name stays `pycos_examples::remote_channel::Post` wherever the
//! type lives.

use pycos::{Message, Task};
use serde::{Deserialize, Serialize};

/// What goes over the channel: a text (`None`: the sender's last message)
/// and the task that sent it.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::remote_channel::Post")]
pub struct Post {
    /// The text; `None` ends the sender's messages.
    pub msg: Option<String>,
    /// The task that sent it.
    pub sender: Task,
}

impl Post {
    /// Prints the post as both programs do: `received "TEXT" from TASK at
    /// IP:PORT`, or `received end from …` for the last one.
    pub fn print(&self) {
        let from = format!(
            "from {} at {}",
            self.sender.name(),
            crate::net::task_location(&self.sender)
        );
        match &self.msg {
            Some(text) => println!("received {text:?} {from}"),
            None => println!("received end {from}"),
        }
    }
}
