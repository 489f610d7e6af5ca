//! Errors of channel operations, one small type per failure.

use std::error::Error;
use std::fmt;

use crate::Msg;

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
        }
    }
}

impl Error for SubscribeError {}

/// [`unsubscribe`](crate::Channel::unsubscribe) of something that was not
/// subscribed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotSubscribed;

impl fmt::Display for NotSubscribed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not subscribed to the channel")
    }
}

impl Error for NotSubscribed {}

/// A message sent to a closed channel; the message is handed back.
#[derive(Debug, Clone)]
pub struct Closed(pub Msg);

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "channel is closed; message ({}) not sent",
            self.0.type_name()
        )
    }
}

impl Error for Closed {}
