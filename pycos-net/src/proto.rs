//! What the frames of an established link carry (after the handshake).
//!
//! - [`FrameKind::Message`](crate::wire::FrameKind::Message): one [`Post`],
//!   one-way: at most once, nothing comes back.
//! - [`FrameKind::Request`](crate::wire::FrameKind::Request): a request id
//!   (8 bytes, big-endian) and an [`Op`]. The id comes first and outside
//!   the codec, so a request whose op this node cannot decode (a newer
//!   peer's, or garbage) is still answered, with [`Answer::Failed`].
//! - [`FrameKind::Reply`](crate::wire::FrameKind::Reply): the request's id
//!   and an [`Answer`]. A reply whose request is gone (timed out here) is
//!   dropped.
//! - `Tick`: an empty frame sent after silence; `Bulk`: chunks of a large
//!   frame (see `link::outbox`); `Close`: the reason a peer refused us.
//!
//! Tasks and channels inside a message (and the payloads themselves) are
//! encoded through `pycos::message`: a handle is its node's location, id
//! and name, and decodes here as a proxy (or as the local task itself when
//! it comes home).

use pycos::channel::Subscriber;
use pycos::{Channel, ChannelId, Msg, Task, TaskError, TaskId};
use serde::{Deserialize, Serialize};

/// A one-way operation on a remote task or channel.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Post {
    /// `Task::send`.
    Send { to: TaskId, msg: Msg },
    /// `Channel::send`.
    ChannelSend { to: ChannelId, msg: Msg },
    /// `Task::resume`.
    Resume { to: TaskId, msg: Msg },
    /// `Task::throw`; the error crosses as its text.
    Throw { to: TaskId, text: String },
    /// `Task::terminate`.
    Terminate { to: TaskId },
}

/// A request that gets one [`Answer`].
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Op {
    /// `Task::deliver`: answered once the message is in the mailbox.
    Deliver { to: TaskId, msg: Msg },
    /// `Task::locate` of a name registered on the peer.
    LocateTask { name: String },
    /// `Channel::locate`.
    LocateChannel { name: String },
    /// Answered when the task ends, with its outcome (no deadline).
    Watch { task: TaskId },
    /// `Channel::deliver` to a channel of the peer.
    ChannelDeliver {
        to: ChannelId,
        msg: Msg,
        n: u64,
        timeout_ms: Option<u64>,
    },
    /// `Channel::subscribe`.
    Subscribe {
        to: ChannelId,
        subscriber: Subscriber,
    },
    /// `Channel::unsubscribe`.
    Unsubscribe {
        to: ChannelId,
        subscriber: Subscriber,
    },
    /// Whether messages sent to the channel `from` reach `target`, up to
    /// `depth` more nodes away (the cycle check across nodes).
    Reaches {
        from: ChannelId,
        target: Channel,
        depth: u32,
    },
    /// `Node::send_file`: a file offered (see `files`).
    FileStart(crate::files::Offer),
    /// A piece of a file being sent.
    FileChunk(crate::files::Chunk),
    /// `Node::del_file`.
    FileDelete(crate::files::FileName),
    /// `Rps::locate`: whether the peer publishes the remote task function
    /// `name`, and with which signature.
    LocateRps { name: String },
    /// `Rps::call`: create the task `name` from `args` (its argument
    /// tuple, encoded) if the peer's signature of it is `signature`.
    RunRps {
        name: String,
        signature: u64,
        args: Vec<u8>,
    },
}

/// The answer to one [`Op`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Answer {
    /// The message is in the task's mailbox.
    Delivered,
    /// The task is not (or no longer) there.
    NoTask,
    /// The result of a `LocateTask`.
    FoundTask(Option<Task>),
    /// The result of a `LocateChannel`.
    FoundChannel(Option<Channel>),
    /// The watched task ended so.
    Ended(Result<Msg, TaskError>),
    /// How many end recipients a channel delivery reached.
    Reached(u64),
    /// A subscription or unsubscription was made.
    Done,
    /// The channel is not open there.
    NoChannel,
    /// A subscription would close a cycle (the texts name both channels).
    Cycle { channel: String, subscriber: String },
    /// The subscriber was not subscribed.
    NotSubscribed,
    /// A channel involved is closed (its name).
    Closed(String),
    /// The request could not be carried out (the text says why).
    Failed(String),
    /// The answer to `Reaches`.
    Reaches(bool),
    /// A file transfer's id, how many bytes the receiver holds, and the
    /// largest piece to send.
    FileAt {
        transfer: u64,
        offset: u64,
        chunk: u32,
    },
    /// The file is in place (`identical`: it was there already).
    FileDone { identical: bool },
    /// A file request was refused.
    FileRefused(crate::files::Refusal),
    /// The peer publishes the remote task function asked for, with this
    /// signature hash and text.
    RpsFound { signature: u64, types: String },
    /// The task an `RunRps` created (exported, so the caller can watch it).
    RpsStarted(Task),
    /// A `LocateRps` or `RunRps` refused.
    RpsRefused(crate::rps::Refusal),
}

/// The request id's bytes before a request's or reply's encoded part.
pub(crate) const ID_LEN: usize = 8;

/// Splits a request or reply body into its id and the encoded rest.
pub(crate) fn split_id(body: &[u8]) -> Option<(u64, &[u8])> {
    let (id, rest) = body.split_first_chunk::<ID_LEN>()?;
    Some((u64::from_be_bytes(*id), rest))
}
