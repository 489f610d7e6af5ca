//! Sending through a channel: `send`, `deliver`, and the fan-out through
//! the hierarchy that both use.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::roster::Snapshot;
use super::transform::{self, Transform};
use super::{Channel, SendError, Subscriber};
use crate::sync::waiters::WaiterKey;
use crate::{IntoTimeout, Msg, WaitExt};

impl Channel {
    /// Sends `msg` to every current subscriber (after the transform) and
    /// returns at once. Subscribed channels pass it on the same way. Tasks
    /// that have ended, and closed channels, are unsubscribed as they are
    /// found. All subscribers share the one payload, received as exactly the
    /// type sent (see [`Msg`]: `send("a")` arrives as a `&str`).
    ///
    /// # Errors
    ///
    /// [`SendError`], with the message, if the channel is closed
    /// ([`is_closed`](SendError::is_closed)).
    pub fn send(&self, msg: impl Any + Send + Sync) -> Result<(), SendError> {
        let msg = Msg::new(msg);
        if let Some((hook, to)) = self.remote() {
            return hook.channel_send(to, msg);
        }
        match self.snapshot() {
            Some((transform, subscribers)) => {
                if let Some(msg) = transform::apply(self.name(), transform.as_ref(), msg) {
                    self.fan_out(subscribers, &msg, true);
                }
                Ok(())
            }
            None => Err(SendError::closed(msg)),
        }
    }

    /// A send that can wait for subscribers, and tells how many tasks the
    /// message reached: the end-point recipients across the hierarchy (a
    /// subscribed channel counts its own recipients). With `n > 0`, waits
    /// until at least `n` tasks or channels are subscribed, up to `timeout`;
    /// if they do not come, sends nothing and gives 0, as does a transform
    /// that drops the message. `timeout` is seconds, a `Duration`, or `None`
    /// for no limit.
    ///
    /// # Errors
    ///
    /// [`SendError`], with the message, if the channel is (or while waiting
    /// becomes) closed ([`is_closed`](SendError::is_closed)).
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn nobody_listens(task: TaskCtx) -> Result<(), Box<dyn std::error::Error>> {
    ///     let news = Channel::new("news")?;
    ///     news.subscribe(&task).await?;
    ///     // Two subscribers wanted, one present: nothing is sent after 2 s.
    ///     assert_eq!(news.deliver("extra", 2, 2.0).await?, 0);
    ///     assert!(task.receive().timeout(0.0).await.is_none());
    ///     assert_eq!(news.deliver("daily", 1, 2.0).await?, 1);
    ///     Ok(())
    /// }
    /// # let sched = Pycos::builder().virtual_clock(true).build()?;
    /// # sched.spawn(nobody_listens()).value()?;
    /// # sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use = "a delivery happens only when awaited, and reports its recipients: \
                  write `channel.deliver(msg, n, timeout).await?`"]
    pub async fn deliver(
        &self,
        msg: impl Any + Send + Sync,
        n: usize,
        timeout: impl IntoTimeout,
    ) -> Result<usize, SendError> {
        let original = Msg::new(msg);
        if let Some((hook, to)) = self.remote() {
            let to = to.clone();
            return hook
                .channel_deliver(&to, original, n, timeout.into_timeout())
                .await;
        }
        crate::sync::charge().await;
        let Some((transform, _)) = self.snapshot() else {
            return Err(SendError::closed(original));
        };
        let Some(msg) = transform::apply(self.name(), transform.as_ref(), original.clone()) else {
            return Ok(0);
        };
        let timeout = timeout.into_timeout();
        match self.await_subscribers(n, timeout).await {
            Some(true) => {}
            Some(false) => return Err(SendError::closed(original)),
            None => return Ok(0),
        }
        let Some((_, subscribers)) = self.snapshot() else {
            return Err(SendError::closed(original));
        };
        // Channels on other nodes count their own recipients, which takes
        // a request each: asked after the local fan-out, one at a time.
        let remote: Vec<Channel> = subscribers
            .iter()
            .filter_map(|s| match s {
                Subscriber::Channel(c) if c.inner.remote.is_some() => Some(c.clone()),
                _ => None,
            })
            .collect();
        let mut reached = self.fan_out(subscribers, &msg, remote.is_empty());
        for channel in remote {
            if let Ok(count) = Box::pin(channel.deliver(msg.clone(), 0, timeout)).await {
                reached += count;
            }
        }
        Ok(reached)
    }

    /// Waits for `n` subscribers: `Some(true)` when they are there,
    /// `Some(false)` if the channel closed, `None` on timeout.
    async fn await_subscribers(&self, n: usize, limit: Option<Duration>) -> Option<bool> {
        if self.subscriber_count() >= n {
            // No timer needed, so this also works outside a scheduler.
            return Some(true);
        }
        AwaitSubscribers {
            channel: self,
            n,
            key: None,
        }
        .timeout(limit)
        .await
    }

    /// The transform and subscriber list to send with; `None` if closed.
    fn snapshot(&self) -> Option<(Option<Transform>, Snapshot)> {
        let state = self.state();
        (!state.closed).then(|| (state.transform.clone(), state.subscribers.snapshot()))
    }

    /// A message arriving from a channel this one subscribes to: the
    /// recipients it reached, or `None` if this channel is closed.
    fn forward(&self, msg: Msg) -> Option<usize> {
        if let Some((hook, to)) = self.remote() {
            // A channel on another node: sent on, counted as one (its own
            // recipients are counted only by `deliver`, which asks).
            return hook.channel_send(to, msg).ok().map(|()| 1);
        }
        let (transform, subscribers) = self.snapshot()?;
        Some(
            match transform::apply(self.name(), transform.as_ref(), msg) {
                Some(msg) => self.fan_out(subscribers, &msg, true),
                None => 0,
            },
        )
    }

    /// Gives `msg` to each subscriber; unsubscribes the gone ones. Returns
    /// the number of tasks reached. O(subscribers), gone ones included.
    /// Sends `msg` to every subscriber; with `remote_channels` false, skips
    /// the channels on other nodes (the caller delivers to them itself).
    fn fan_out(&self, subscribers: Snapshot, msg: &Msg, remote_channels: bool) -> usize {
        let mut reached = 0;
        let mut gone = Vec::new();
        for subscriber in subscribers.iter() {
            let delivered = match subscriber {
                Subscriber::Task(task) => task.send(msg.clone()).ok().map(|()| 1),
                Subscriber::Channel(channel)
                    if !remote_channels && channel.inner.remote.is_some() =>
                {
                    Some(0)
                }
                Subscriber::Channel(channel) => channel.forward(msg.clone()),
            };
            match delivered {
                Some(count) => reached += count,
                None => gone.push(subscriber.clone()),
            }
        }
        // Released first, so that removing the gone ones need not copy the
        // subscriber list.
        drop(subscribers);
        if !gone.is_empty() {
            self.drop_gone(&gone);
        }
        reached
    }

    fn drop_gone(&self, gone: &[Subscriber]) {
        tracing::debug!(
            channel = self.name(),
            count = gone.len(),
            "unsubscribing ended subscribers"
        );
        let mut removed = Vec::with_capacity(2 * gone.len());
        self.state().subscribers.remove_all(gone, &mut removed);
    }
}

/// Waits until a channel has `n` subscribers (`true`) or closes (`false`).
struct AwaitSubscribers<'a> {
    channel: &'a Channel,
    n: usize,
    key: Option<WaiterKey>,
}

impl Future for AwaitSubscribers<'_> {
    type Output = bool;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        let this = self.get_mut();
        let mut state = this.channel.state();
        // Every subscription wakes all deliverers; each checks its own count
        // and queues again if it is still short.
        if let Some(key) = this.key.take() {
            state.deliverers.remove(key);
        }
        if state.closed {
            return Poll::Ready(false);
        }
        if state.subscribers.len() >= this.n {
            return Poll::Ready(true);
        }
        this.key = Some(state.deliverers.push_back((), cx.waker()));
        Poll::Pending
    }
}

impl Drop for AwaitSubscribers<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.channel.state().deliverers.remove(key);
        }
    }
}
