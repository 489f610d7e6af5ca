//! Errors of channel operations, one small type per failure.

use std::error::Error;
use std::fmt;

use crate::undelivered::{ToChannel, Undelivered};

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
pub type SendError = Undelivered<ToChannel>;
