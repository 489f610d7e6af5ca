//! The messages of `chat_chan_server` and `chat_chan_client`: the lines on
//! the channel `chat_channel`, and what clients tell the task
//! `chat_server`.
//!
//! The wire names stay `pycos_examples::chat_chan::…` wherever the types
//! live.

use pycos::{Message, Task};
use serde::{Deserialize, Serialize};

/// A line on the channel: its text and who wrote it.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::chat_chan::Line")]
pub struct Line {
    /// What was said (after the channel's transform, how it was said).
    pub text: String,
    /// The client's name.
    pub who: String,
}

/// What clients tell the `chat_server` task.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::chat_chan::ToServer")]
pub enum ToServer {
    /// `client` is told `welcome` and then hears the channel.
    Join {
        /// The client's name.
        who: String,
        /// The client's task, for the welcome.
        client: Task,
    },
    /// The client leaves the chat.
    Quit {
        /// The client's name.
        who: String,
    },
}
