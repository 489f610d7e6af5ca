//! Subscribing tasks and channels to a channel.

use std::collections::HashSet;
use std::fmt;
use std::sync::Mutex;

use super::{Channel, SubscribeError, UnsubscribeError};
use crate::sync::waiters::wake_all;
use crate::util::lock;
use crate::{Task, TaskCtx};

/// What can subscribe to a [`Channel`]: a task, or another channel (which
/// passes each message on to its own subscribers).
///
/// `From` conversions let `channel.subscribe(&task)`,
/// `channel.subscribe(&other_channel)` and, in a task,
/// `channel.subscribe(&task)` with its [`TaskCtx`] read naturally.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Subscriber {
    /// A task: it receives each message in its mailbox.
    Task(Task),
    /// A channel: each message is sent on through it (its transform, then
    /// its subscribers).
    Channel(Channel),
}

impl fmt::Display for Subscriber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subscriber::Task(task) => write!(f, "task {task}"),
            Subscriber::Channel(channel) => write!(f, "channel {channel}"),
        }
    }
}

impl<R> From<&Task<R>> for Subscriber {
    fn from(task: &Task<R>) -> Subscriber {
        Subscriber::Task(task.untyped())
    }
}

impl<R> From<Task<R>> for Subscriber {
    fn from(task: Task<R>) -> Subscriber {
        Subscriber::Task(task.untyped())
    }
}

impl From<&TaskCtx> for Subscriber {
    fn from(task: &TaskCtx) -> Subscriber {
        Subscriber::Task(task.handle())
    }
}

impl From<&Channel> for Subscriber {
    fn from(channel: &Channel) -> Subscriber {
        Subscriber::Channel(channel.clone())
    }
}

impl From<Channel> for Subscriber {
    fn from(channel: Channel) -> Subscriber {
        Subscriber::Channel(channel)
    }
}

/// Held while a channel subscribes to a channel, so that two concurrent
/// subscriptions cannot each pass the cycle check and together close a
/// cycle. Task subscriptions, far more common, do not take it.
static HIERARCHY: Mutex<()> = Mutex::new(());

/// How many nodes away a cycle check follows a hierarchy that spans
/// nodes (a hierarchy deeper than this across nodes is not checked past
/// it).
const CYCLE_SEARCH_DEPTH: u32 = 16;

impl Channel {
    /// Subscribes a task or a channel: it receives every message sent from
    /// now on. Subscribing twice is the same as once. A wait, so that the
    /// networked version can ask the channel's peer.
    ///
    /// # Errors
    ///
    /// [`SubscribeError::Cycle`] if a channel subscriber already passes
    /// messages on to this channel (or is this channel);
    /// [`SubscribeError::Closed`] if either channel is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    /// use pycos::channel::SubscribeError;
    ///
    /// #[task]
    /// fn hierarchy(task: TaskCtx) -> Result<(), Box<dyn std::error::Error>> {
    ///     let top = Channel::new("top")?;
    ///     let team = Channel::new("team")?;
    ///     top.subscribe(&team).await?;
    ///     team.subscribe(&task).await?;
    ///     assert!(matches!(team.subscribe(&top).await, Err(SubscribeError::Cycle { .. })));
    ///     assert_eq!(top.deliver("all hands", 0, None).await?, 1);
    ///     Ok(())
    /// }
    /// # let sched = Pycos::new();
    /// # sched.spawn(hierarchy()).value()?;
    /// # sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use = "a subscription happens only when awaited, and can fail: \
                  write `channel.subscribe(..).await?`"]
    pub async fn subscribe(&self, subscriber: impl Into<Subscriber>) -> Result<(), SubscribeError> {
        let subscriber = subscriber.into();
        if let Some((hook, to)) = self.remote() {
            let to = to.clone();
            return hook.channel_subscribe(&to, subscriber).await;
        }
        crate::sync::charge().await;
        if let Subscriber::Channel(child) = &subscriber
            && child.reaches_across(self, CYCLE_SEARCH_DEPTH).await
        {
            return Err(SubscribeError::Cycle {
                channel: self.name().to_owned(),
                subscriber: child.name().to_owned(),
            });
        }
        self.add(subscriber)
    }

    /// Unsubscribes a task or channel: it gets no further messages.
    ///
    /// # Errors
    ///
    /// [`UnsubscribeError::NotSubscribed`] if it was not subscribed.
    #[must_use = "an unsubscription happens only when awaited, and can fail: \
                  write `channel.unsubscribe(..).await?`"]
    pub async fn unsubscribe(
        &self,
        subscriber: impl Into<Subscriber>,
    ) -> Result<(), UnsubscribeError> {
        let subscriber = subscriber.into();
        if let Some((hook, to)) = self.remote() {
            let to = to.clone();
            return hook.channel_unsubscribe(&to, subscriber).await;
        }
        crate::sync::charge().await;
        let mut removed = Vec::new();
        if self.state().subscribers.remove(&subscriber, &mut removed) {
            Ok(())
        } else {
            Err(UnsubscribeError::NotSubscribed)
        }
    }

    /// The current subscribers, in the order they subscribed.
    pub fn subscribers(&self) -> Vec<Subscriber> {
        self.state()
            .subscribers
            .snapshot()
            .iter()
            .cloned()
            .collect()
    }

    /// How many tasks and channels are subscribed directly.
    pub fn subscriber_count(&self) -> usize {
        self.state().subscribers.len()
    }

    fn add(&self, subscriber: Subscriber) -> Result<(), SubscribeError> {
        let _hierarchy = matches!(subscriber, Subscriber::Channel(_)).then(|| lock(&HIERARCHY));
        if let Subscriber::Channel(child) = &subscriber {
            if child.is_closed() {
                return Err(SubscribeError::Closed(child.name().to_owned()));
            }
            if child.reaches(self) {
                return Err(SubscribeError::Cycle {
                    channel: self.name().to_owned(),
                    subscriber: child.name().to_owned(),
                });
            }
        }
        let wakers = {
            let mut state = self.state();
            if state.closed {
                return Err(SubscribeError::Closed(self.name().to_owned()));
            }
            state.subscribers.insert(subscriber);
            // Deliverers waiting for subscribers count again.
            state.deliverers.notify_all()
        };
        wake_all(wakers);
        Ok(())
    }

    /// Whether messages sent to this channel reach `target` (or this is
    /// `target`), on this node. Each channel's list is looked at under its
    /// own lock only, one at a time.
    fn reaches(&self, target: &Channel) -> bool {
        self.walk(target).0
    }

    /// The local part of the search: whether `target` was reached, and the
    /// channels of other nodes met on the way (not followed).
    fn walk(&self, target: &Channel) -> (bool, Vec<Channel>) {
        let mut seen = HashSet::new();
        let mut stack = vec![self.clone()];
        let mut remote = Vec::new();
        while let Some(channel) = stack.pop() {
            if channel == *target {
                return (true, remote);
            }
            if !seen.insert(channel.id()) {
                continue;
            }
            if channel.inner.remote.is_some() {
                remote.push(channel);
                continue;
            }
            let subscribers = channel.state().subscribers.snapshot();
            stack.extend(subscribers.iter().filter_map(|s| match s {
                Subscriber::Channel(c) => Some(c.clone()),
                Subscriber::Task(_) => None,
            }));
        }
        (false, remote)
    }

    /// Whether messages sent to this channel reach `target`, following the
    /// channels of other nodes too: each is asked through the hook, up to
    /// `depth` nodes away. For the networking crate, which answers peers'
    /// questions with it.
    #[doc(hidden)]
    pub async fn reaches_across(&self, target: &Channel, depth: u32) -> bool {
        let (found, remote) = self.walk(target);
        if found {
            return true;
        }
        if depth == 0 {
            return false;
        }
        for channel in remote {
            if let Some((hook, to)) = channel.remote()
                && hook.channel_reaches(to, target, depth - 1).await
            {
                return true;
            }
        }
        false
    }
}
