//! A message that did not reach its task or channel: the one structure
//! behind [`SendError`](crate::SendError) (to a task) and
//! [`channel::SendError`](crate::channel::SendError) (to a channel).

use std::error::Error;
use std::fmt;
use std::marker::PhantomData;

use crate::Msg;

/// Why a message, a throw or a subscription did not reach its target.
/// Shared by the task and channel errors; only `Ended` happens without a
/// network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reason {
    /// The task has ended, or the channel is closed.
    Ended,
    /// The message's type cannot be serialized for a remote target.
    NotSerializable,
    /// The target's peer (named by the text) cannot be reached.
    Unreachable(String),
    /// The target's peer refused the operation; the text is its reason.
    Refused(String),
    /// No answer came in time: the outcome is unknown.
    TimedOut,
}

mod sealed {
    pub trait Sealed {}
}

/// What a message is sent to, which words its [`Undelivered`] error:
/// [`ToTask`] or [`ToChannel`]. Sealed: pycos has only these two.
pub trait SendTarget: sealed::Sealed {
    /// The target's noun in the error's text: `"task"` or `"channel"`.
    const NOUN: &'static str;
    /// How the target that no longer takes messages is worded: `"has
    /// ended"` (a task) or `"is closed"` (a channel).
    const GONE: &'static str;
}

/// The target of a task's [`SendError`](crate::SendError).
#[derive(Debug)]
pub enum ToTask {}

/// The target of a channel's [`SendError`](crate::channel::SendError).
#[derive(Debug)]
pub enum ToChannel {}

impl sealed::Sealed for ToTask {}
impl sealed::Sealed for ToChannel {}

impl SendTarget for ToTask {
    const NOUN: &'static str = "task";
    const GONE: &'static str = "has ended";
}

impl SendTarget for ToChannel {
    const NOUN: &'static str = "channel";
    const GONE: &'static str = "is closed";
}

/// A message could not be sent to a `K` ([`ToTask`] or [`ToChannel`]); the
/// message is handed back ([`into_inner`](Undelivered::into_inner)). The
/// `is_*` queries say why. Named by its aliases: [`SendError`](crate::SendError)
/// for a task and [`channel::SendError`](crate::channel::SendError) for a
/// channel, which are distinct types:
///
/// ```compile_fail
/// fn to_task(_: pycos::SendError) {}
///
/// let msg = pycos::Msg::new(7_u32);
/// to_task(pycos::channel::SendError::closed(msg)); // a channel's error
/// ```
pub struct Undelivered<K: SendTarget> {
    reason: Reason,
    msg: Msg,
    target: PhantomData<K>,
}

impl<K: SendTarget> Undelivered<K> {
    fn with(reason: Reason, msg: Msg) -> Undelivered<K> {
        Undelivered {
            reason,
            msg,
            target: PhantomData,
        }
    }

    /// The task has ended, or the channel is closed.
    fn gone(msg: Msg) -> Undelivered<K> {
        Undelivered::with(Reason::Ended, msg)
    }

    /// The message's type ([`Msg::type_name`]) has no encoder, so it cannot
    /// go to a remote target. Hidden: only pycos-net makes it.
    #[doc(hidden)]
    pub fn not_serializable(msg: Msg) -> Undelivered<K> {
        Undelivered::with(Reason::NotSerializable, msg)
    }

    /// The remote target's peer (`peer` names it) cannot be reached.
    /// Hidden: only pycos-net makes it.
    #[doc(hidden)]
    pub fn unreachable(msg: Msg, peer: impl Into<String>) -> Undelivered<K> {
        Undelivered::with(Reason::Unreachable(peer.into()), msg)
    }

    /// The remote target's peer refused the message, for `reason`. Hidden:
    /// only pycos-net makes it.
    #[doc(hidden)]
    pub fn refused(msg: Msg, reason: impl Into<String>) -> Undelivered<K> {
        Undelivered::with(Reason::Refused(reason.into()), msg)
    }

    /// No answer (for a task, no acknowledgement of the delivery) came in
    /// time: the message may or may not have reached the target. Hidden:
    /// only pycos-net makes it.
    #[doc(hidden)]
    pub fn timed_out(msg: Msg) -> Undelivered<K> {
        Undelivered::with(Reason::TimedOut, msg)
    }

    /// Whether the message's type cannot be serialized for a remote target.
    pub fn is_not_serializable(&self) -> bool {
        self.reason == Reason::NotSerializable
    }

    /// Whether the remote target's peer cannot be reached.
    pub fn is_unreachable(&self) -> bool {
        matches!(self.reason, Reason::Unreachable(_))
    }

    /// Whether the remote target's peer refused the message.
    pub fn is_refused(&self) -> bool {
        matches!(self.reason, Reason::Refused(_))
    }

    /// Whether no answer came in time: the message may or may not have
    /// reached the target (not the same as failed).
    pub fn is_timed_out(&self) -> bool {
        self.reason == Reason::TimedOut
    }

    /// The message that was not sent.
    pub fn message(&self) -> &Msg {
        &self.msg
    }

    /// The message that was not sent, handed back.
    pub fn into_inner(self) -> Msg {
        self.msg
    }
}

impl Undelivered<ToTask> {
    /// The task has ended. Hidden: for pycos-net, which also reports a
    /// remote task that has ended.
    #[doc(hidden)]
    pub fn ended(msg: Msg) -> Undelivered<ToTask> {
        Undelivered::gone(msg)
    }

    /// Whether the task has ended.
    pub fn is_ended(&self) -> bool {
        self.reason == Reason::Ended
    }
}

impl Undelivered<ToChannel> {
    /// The channel is closed. Hidden: for pycos-net, which also reports a
    /// remote channel that is closed.
    #[doc(hidden)]
    pub fn closed(msg: Msg) -> Undelivered<ToChannel> {
        Undelivered::gone(msg)
    }

    /// Whether the channel is closed.
    pub fn is_closed(&self) -> bool {
        self.reason == Reason::Ended
    }
}

// By hand, not derived: a derive would ask `K: Clone` / `K: Debug` of the
// marker, which is never a value.
impl<K: SendTarget> Clone for Undelivered<K> {
    fn clone(&self) -> Undelivered<K> {
        Undelivered::with(self.reason.clone(), self.msg.clone())
    }
}

impl<K: SendTarget> fmt::Debug for Undelivered<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendError")
            .field("to", &K::NOUN)
            .field("reason", &self.reason)
            .field("msg", &self.msg)
            .finish()
    }
}

impl<K: SendTarget> fmt::Display for Undelivered<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ty, to) = (self.msg.type_name(), K::NOUN);
        match &self.reason {
            Reason::Ended => write!(f, "{to} {}; message ({ty}) not sent", K::GONE),
            Reason::NotSerializable => write!(
                f,
                "message type {ty} is not serializable; not sent to the remote {to}"
            ),
            Reason::Unreachable(peer) => {
                write!(f, "peer {peer} is unreachable; message ({ty}) not sent")
            }
            Reason::Refused(reason) => write!(f, "peer refused the message ({ty}): {reason}"),
            Reason::TimedOut => write!(
                f,
                "timed out; message ({ty}) may or may not have reached the {to}"
            ),
        }
    }
}

impl<K: SendTarget> Error for Undelivered<K> {}
