//! Errors of channel operations, one small type per failure.

use std::error::Error;
use std::fmt;

use crate::Msg;
use crate::task::Reason;

/// Why a channel could not be created, registered or unregistered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChannelError {
    /// Another open channel of the scheduler has this name.
    Duplicate(String),
    /// The name has no alphanumeric character to start with.
    InvalidName(String),
    /// The channel is closed.
    Closed(String),
    /// [`register`](crate::Channel::register) of a registered channel.
    AlreadyRegistered(String),
    /// [`unregister`](crate::Channel::unregister) of a channel that is not
    /// registered.
    NotRegistered(String),
}

impl ChannelError {
    /// Whether another open channel has the name.
    pub fn is_duplicate(&self) -> bool {
        matches!(self, ChannelError::Duplicate(_))
    }

    /// Whether the name is not valid.
    pub fn is_invalid_name(&self) -> bool {
        matches!(self, ChannelError::InvalidName(_))
    }

    /// Whether the channel is closed.
    pub fn is_closed(&self) -> bool {
        matches!(self, ChannelError::Closed(_))
    }

    /// Whether the channel is already registered.
    pub fn is_already_registered(&self) -> bool {
        matches!(self, ChannelError::AlreadyRegistered(_))
    }

    /// Whether the channel is not registered.
    pub fn is_not_registered(&self) -> bool {
        matches!(self, ChannelError::NotRegistered(_))
    }
}

impl fmt::Display for ChannelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChannelError::Duplicate(name) => write!(f, "a channel named {name:?} already exists"),
            ChannelError::InvalidName(name) => {
                write!(
                    f,
                    "invalid channel name {name:?}: it needs an alphanumeric character"
                )
            }
            ChannelError::Closed(name) => write!(f, "channel {name:?} is closed"),
            ChannelError::AlreadyRegistered(name) => {
                write!(f, "channel {name:?} is already registered")
            }
            ChannelError::NotRegistered(name) => write!(f, "channel {name:?} is not registered"),
        }
    }
}

impl Error for ChannelError {}

/// Why a subscription was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubscribeError {
    /// Subscribing the channel `subscriber` to `channel` would make a
    /// message sent to either go round for ever (pycos overflows its stack
    /// instead).
    Cycle {
        /// The channel subscribed to.
        channel: String,
        /// The channel that was to subscribe.
        subscriber: String,
    },
    /// The channel subscribed to, or the subscribing channel, is closed.
    Closed(String),
    /// Only for remote channels: the channel's peer (the text names it)
    /// cannot be reached.
    Unreachable(String),
    /// Only for remote channels: the channel's peer refused the
    /// subscription; the text is its reason.
    Refused(String),
    /// Only for remote channels: no answer came in time, so the
    /// subscription may or may not have been made.
    TimedOut,
}

impl SubscribeError {
    /// Whether the subscription would make a cycle.
    pub fn is_cycle(&self) -> bool {
        matches!(self, SubscribeError::Cycle { .. })
    }

    /// Whether a channel is closed.
    pub fn is_closed(&self) -> bool {
        matches!(self, SubscribeError::Closed(_))
    }

    /// Whether the remote channel's peer cannot be reached.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, SubscribeError::Unreachable(_))
    }

    /// Whether the remote channel's peer refused the subscription.
    pub fn is_refused(&self) -> bool {
        matches!(self, SubscribeError::Refused(_))
    }

    /// Whether no answer came in time (the outcome is unknown).
    pub fn is_timed_out(&self) -> bool {
        matches!(self, SubscribeError::TimedOut)
    }
}

impl fmt::Display for SubscribeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubscribeError::Cycle {
                channel,
                subscriber,
            } => write!(
                f,
                "subscribing channel {subscriber:?} to {channel:?} would make a cycle: \
                 messages sent to {subscriber:?} already reach {channel:?}"
            ),
            SubscribeError::Closed(name) => write!(f, "channel {name:?} is closed"),
            SubscribeError::Unreachable(peer) => {
                write!(
                    f,
                    "peer {peer} of the channel is unreachable; not subscribed"
                )
            }
            SubscribeError::Refused(reason) => {
                write!(f, "peer refused the subscription: {reason}")
            }
            SubscribeError::TimedOut => {
                f.write_str("timed out; the subscription may or may not have been made")
            }
        }
    }
}

impl Error for SubscribeError {}

/// Why [`unsubscribe`](crate::Channel::unsubscribe) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnsubscribeError {
    /// The task or channel was not subscribed.
    NotSubscribed,
    /// Only for remote channels: the channel's peer (the text names it)
    /// cannot be reached.
    Unreachable(String),
    /// Only for remote channels: the channel's peer refused; the text is
    /// its reason.
    Refused(String),
    /// Only for remote channels: no answer came in time, so the subscriber
    /// may or may not have been removed.
    TimedOut,
}

impl UnsubscribeError {
    /// Whether the task or channel was not subscribed.
    pub fn is_not_subscribed(&self) -> bool {
        matches!(self, UnsubscribeError::NotSubscribed)
    }

    /// Whether the remote channel's peer cannot be reached.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, UnsubscribeError::Unreachable(_))
    }

    /// Whether the remote channel's peer refused.
    pub fn is_refused(&self) -> bool {
        matches!(self, UnsubscribeError::Refused(_))
    }

    /// Whether no answer came in time (the outcome is unknown).
    pub fn is_timed_out(&self) -> bool {
        matches!(self, UnsubscribeError::TimedOut)
    }
}

impl fmt::Display for UnsubscribeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnsubscribeError::NotSubscribed => f.write_str("not subscribed to the channel"),
            UnsubscribeError::Unreachable(peer) => {
                write!(
                    f,
                    "peer {peer} of the channel is unreachable; not unsubscribed"
                )
            }
            UnsubscribeError::Refused(reason) => {
                write!(f, "peer refused the unsubscription: {reason}")
            }
            UnsubscribeError::TimedOut => {
                f.write_str("timed out; the subscriber may or may not have been removed")
            }
        }
    }
}

impl Error for UnsubscribeError {}

/// A message could not be sent to a channel; the message is handed back
/// ([`into_inner`](SendError::into_inner)). The `is_*` queries say why.
///
/// Without a network the only reason is that the channel is closed
/// ([`is_closed`](SendError::is_closed)). A remote channel adds: the
/// message's type is not serializable, the peer is unreachable, the peer
/// refused the message, or no answer came in time (then the message may or
/// may not have been sent on).
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn closed() -> Result<(), Box<dyn std::error::Error>> {
///     let news = Channel::new("news")?;
///     news.close();
///     let err = news.send(7_u32).unwrap_err();
///     assert!(err.is_closed());
///     assert_eq!(err.to_string(), "channel is closed; message (u32) not sent");
///     assert_eq!(err.into_inner().downcast_ref::<u32>(), Some(&7));
///     Ok(())
/// }
/// # let sched = Pycos::new();
/// # sched.spawn(closed()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SendError {
    reason: Reason,
    msg: Msg,
}

impl SendError {
    fn with(reason: Reason, msg: Msg) -> SendError {
        SendError { reason, msg }
    }

    /// The channel is closed. Hidden: for pycos-net, which also reports a
    /// remote channel that is closed.
    #[doc(hidden)]
    pub fn closed(msg: Msg) -> SendError {
        SendError::with(Reason::Ended, msg)
    }

    /// The message's type ([`Msg::type_name`]) has no encoder, so it cannot
    /// go to a remote channel. Hidden: only pycos-net makes it.
    #[doc(hidden)]
    pub fn not_serializable(msg: Msg) -> SendError {
        SendError::with(Reason::NotSerializable, msg)
    }

    /// The remote channel's peer (`peer` names it) cannot be reached.
    /// Hidden: only pycos-net makes it.
    #[doc(hidden)]
    pub fn unreachable(msg: Msg, peer: impl Into<String>) -> SendError {
        SendError::with(Reason::Unreachable(peer.into()), msg)
    }

    /// The remote channel's peer refused the message, for `reason`. Hidden:
    /// only pycos-net makes it.
    #[doc(hidden)]
    pub fn refused(msg: Msg, reason: impl Into<String>) -> SendError {
        SendError::with(Reason::Refused(reason.into()), msg)
    }

    /// No answer came in time: the message may or may not have been sent
    /// on. Hidden: only pycos-net makes it.
    #[doc(hidden)]
    pub fn timed_out(msg: Msg) -> SendError {
        SendError::with(Reason::TimedOut, msg)
    }

    /// Whether the channel is closed.
    pub fn is_closed(&self) -> bool {
        self.reason == Reason::Ended
    }

    /// Whether the message's type cannot be serialized for a remote channel.
    pub fn is_not_serializable(&self) -> bool {
        self.reason == Reason::NotSerializable
    }

    /// Whether the remote channel's peer cannot be reached.
    pub fn is_unreachable(&self) -> bool {
        matches!(self.reason, Reason::Unreachable(_))
    }

    /// Whether the remote channel's peer refused the message.
    pub fn is_refused(&self) -> bool {
        matches!(self.reason, Reason::Refused(_))
    }

    /// Whether no answer came in time: the message may or may not have been
    /// sent on (not the same as failed).
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

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ty = self.msg.type_name();
        match &self.reason {
            Reason::Ended => write!(f, "channel is closed; message ({ty}) not sent"),
            Reason::NotSerializable => write!(
                f,
                "message type {ty} is not serializable; not sent to the remote channel"
            ),
            Reason::Unreachable(peer) => {
                write!(f, "peer {peer} is unreachable; message ({ty}) not sent")
            }
            Reason::Refused(reason) => write!(f, "peer refused the message ({ty}): {reason}"),
            Reason::TimedOut => write!(
                f,
                "timed out; message ({ty}) may or may not have reached the channel"
            ),
        }
    }
}

impl Error for SendError {}
