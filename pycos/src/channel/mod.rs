//! [`Channel`]: named broadcast to subscribed tasks and channels (pycos'
//! `Channel`).
//!
//! - `mod.rs` (here): the channel handle, its name and lifetime.
//! - `table`: the channel side of the scheduler's registry
//!   (`runtime::registry`), which keeps each channel until it is closed:
//!   uniqueness, `locate`, `register`.
//! - `subscribe`: [`Subscriber`], subscribing with cycle refusal.
//! - `roster`: the subscriber list: order, index, snapshots.
//! - `broadcast`: `send` and `deliver` through the hierarchy.
//! - `transform`: applying a transform, containing its panics.
//!
//! A send takes a snapshot of the subscriber list (an `Arc` of a vector
//! that subscriptions copy on write, see `roster`) and releases the
//! channel's lock before calling anything, so user transforms and
//! subscriber channels never run under it, and a broadcast to many
//! subscribers clones only the message's `Arc`. Subscribing and
//! unsubscribing are O(1) amortised, a send O(subscribers), including
//! unsubscribing the ended ones it finds.

mod broadcast;
mod error;
mod roster;
mod subscribe;
mod table;
mod transform;

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};

pub use error::{ChannelError, SendError, SubscribeError, UnsubscribeError};
pub use subscribe::Subscriber;
pub(crate) use table::{find_by_id, find_registered, release_all};

use crate::runtime::Shared;
use crate::sync::waiters::{Waiters, wake_all};
use crate::{ChannelId, Msg};
use transform::Transform;

/// A named channel that broadcasts each message to all its subscribers:
/// tasks, and other channels (which pass it on to theirs).
///
/// [`send`](Channel::send) returns at once; every current subscriber gets
/// the message, in the order one sender sent them, sharing one payload.
/// [`deliver`](Channel::deliver) can wait for subscribers and tells how many
/// tasks the message reached across the hierarchy. An optional transform
/// rewrites or drops messages. `Channel` is a cheap handle (clones are the
/// same channel), compared and hashed by its [`ChannelId`], usable from any
/// thread.
///
/// A channel lives in its scheduler's channel table from its creation until
/// [`close`](Channel::close), as in pycos: dropping every handle does not
/// end it — [`locate`](Channel::locate) still finds it by name, and its
/// subscribers still get what is sent to it. Close channels you are done
/// with; an unclosed one (and the subscribers it holds) lives until its
/// scheduler shuts down.
///
/// # Differences from pycos
///
/// Deliberate, so that mistakes show instead of passing silently:
/// - **Duplicate names are an error.** Names are unique among the open
///   channels of a scheduler; [`new`](Channel::new) with a taken name gives
///   [`ChannelError::Duplicate`]. pycos logs "Duplicate channel ignored"
///   and returns a second object the table does not know, which
///   `locate`, `register` and remote peers then never see.
/// - **Sending to a closed channel is an error**: [`send`](Channel::send)
///   and [`deliver`](Channel::deliver) give a [`SendError`] with the
///   message back ([`is_closed`](SendError::is_closed)), and subscribing gives [`SubscribeError::Closed`]. pycos accepts
///   the message and delivers it to nobody.
/// - **Cycles are refused**: subscribing a channel that already reaches
///   this one is a [`SubscribeError::Cycle`]; pycos recurses until its
///   stack overflows.
///
/// # Examples
///
/// The pycos tutorial's channel (see `examples/src/bin/channel.rs`):
///
/// ```
/// use pycos::prelude::*;
///
/// #[task]
/// fn total(task: TaskCtx) -> f64 {
///     let mut sum = 0.0;
///     loop {
///         let msg = task.receive().await;
///         match msg.downcast_ref::<Option<f64>>() {
///             Some(Some(x)) => sum += x,
///             _ => return sum, // `None` ends the stream
///         }
///     }
/// }
///
/// #[task]
/// fn sum_over_a_channel() -> Result<(), Box<dyn std::error::Error>> {
///     let channel = Channel::new("sum")?;
///     let summer = Task::new(total());
///     channel.subscribe(&summer).await?;
///     for x in [1.5, 2.5] {
///         channel.send(Some(x))?;
///     }
///     channel.send(None::<f64>)?;
///     assert_eq!(summer.finish().await?, 4.0);
///     Ok(())
/// }
/// # let sched = Pycos::new();
/// # sched.spawn(sum_over_a_channel()).value()?;
/// # sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Channel {
    inner: Arc<Inner>,
}

/// A channel's shared part; the scheduler's registry holds it until
/// `close`.
pub(crate) struct Inner {
    pub(crate) id: ChannelId,
    pub(crate) name: String,
    sched: Arc<Shared>,
    state: Mutex<State>,
    /// For a proxy of a channel on another node (see `crate::remote`):
    /// what it stands for. Its operations go to the scheduler's hook.
    remote: Option<crate::remote::RemoteChannel>,
}

struct State {
    /// Copied on write, so that a send iterates a snapshot without the lock.
    subscribers: roster::Roster,
    transform: Option<Transform>,
    /// Deliverers waiting for more subscribers.
    deliverers: Waiters,
    closed: bool,
}

impl State {
    fn new(transform: Option<Transform>) -> State {
        State {
            subscribers: roster::Roster::default(),
            transform,
            deliverers: Waiters::default(),
            closed: false,
        }
    }
}

impl Channel {
    /// Creates a channel named `name` on the calling task's scheduler (the
    /// process-wide one outside tasks). Leading characters that are not
    /// alphanumeric are removed, with a warning, as in pycos.
    ///
    /// # Errors
    ///
    /// [`ChannelError::Duplicate`] if an open channel of the scheduler has
    /// the name (pycos ignores the duplicate instead); [`ChannelError::InvalidName`] if nothing alphanumeric is
    /// left of it.
    pub fn new(name: &str) -> Result<Channel, ChannelError> {
        Channel::create(name, None)
    }

    /// Creates a channel whose messages first go through `transform(name,
    /// msg)`: it returns the message to send (the same or another), or
    /// `None` to drop it. A transform that panics drops the message; the
    /// panic is logged and the channel keeps working.
    ///
    /// # Errors
    ///
    /// As [`new`](Channel::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn evens_only(task: TaskCtx) -> Result<(), Box<dyn std::error::Error>> {
    ///     let evens = Channel::with_transform("evens", |_name, msg| {
    ///         msg.downcast_ref::<u32>().is_some_and(|n| n % 2 == 0).then_some(msg)
    ///     })?;
    ///     evens.subscribe(&task).await?;
    ///     for n in 1..=4_u32 {
    ///         evens.send(n)?;
    ///     }
    ///     assert_eq!(task.receive().await.downcast_ref::<u32>(), Some(&2));
    ///     assert_eq!(task.receive().await.downcast_ref::<u32>(), Some(&4));
    ///     Ok(())
    /// }
    /// # let sched = Pycos::new();
    /// # sched.spawn(evens_only()).value()?;
    /// # sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_transform<F>(name: &str, transform: F) -> Result<Channel, ChannelError>
    where
        F: Fn(&str, Msg) -> Option<Msg> + Send + Sync + 'static,
    {
        Channel::create(name, Some(Arc::new(transform)))
    }

    fn create(name: &str, transform: Option<Transform>) -> Result<Channel, ChannelError> {
        let trimmed = name.trim_start_matches(|c: char| !c.is_alphanumeric());
        if trimmed.is_empty() {
            return Err(ChannelError::InvalidName(name.to_owned()));
        }
        if trimmed.len() != name.len() {
            tracing::warn!(
                name,
                changed = trimmed,
                "channel names begin with an alphanumeric character"
            );
        }
        let sched = table::current_scheduler();
        table::insert(&sched, trimmed, || Inner {
            id: ChannelId::next(),
            name: trimmed.to_owned(),
            sched: sched.clone(),
            state: Mutex::new(State::new(transform)),
            remote: None,
        })
    }

    /// A proxy of the channel `remote`, served by `sched`'s hook. It is in
    /// no table: the channel lives, and is found, at its own node.
    pub(crate) fn proxy(sched: Arc<Shared>, remote: crate::remote::RemoteChannel) -> Channel {
        Channel {
            inner: Arc::new(Inner {
                id: remote.id,
                name: remote.name.to_string(),
                sched,
                state: Mutex::new(State::new(None)),
                remote: Some(remote),
            }),
        }
    }

    /// The hook and the reference of a proxy; `None` for a local channel.
    /// Every operation that may go to another node asks this first.
    pub(crate) fn remote(
        &self,
    ) -> Option<(Arc<dyn crate::remote::Hook>, &crate::remote::RemoteChannel)> {
        let remote = self.inner.remote.as_ref()?;
        Some((self.inner.sched.hook.get()?.clone(), remote))
    }

    /// The remote reference of a proxy; `None` for a local channel.
    #[doc(hidden)]
    pub fn remote_ref(&self) -> Option<crate::remote::RemoteChannel> {
        self.inner.remote.clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        crate::util::lock(&self.inner.state)
    }

    /// The channel's id: never reused, and what channels compare and hash
    /// by (a new channel that takes a closed one's name has another id).
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::Channel;
    ///
    /// let news = Channel::new("news-id")?;
    /// let same = news.clone();
    /// assert_eq!((same.id(), &same), (news.id(), &news));
    /// news.close();
    /// let next = Channel::new("news-id")?; // the name is free again
    /// assert_ne!(next.id(), news.id());
    /// assert!(next.id() > news.id());
    /// next.close();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id(&self) -> ChannelId {
        self.inner.id
    }

    /// The channel's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Replaces the transform (see [`with_transform`](Channel::with_transform)).
    pub fn set_transform<F>(&self, transform: F)
    where
        F: Fn(&str, Msg) -> Option<Msg> + Send + Sync + 'static,
    {
        // The old transform (user code) is dropped after the lock.
        let _old = self.state().transform.replace(Arc::new(transform));
    }

    /// Removes the transform: messages pass unchanged.
    pub fn clear_transform(&self) {
        let _old = self.state().transform.take();
    }

    /// Closes the channel: it leaves the scheduler's registry (so `locate`
    /// no longer finds it, it is no longer registered, and a new channel may
    /// take the name), subscribers are
    /// dropped, waiting deliverers give up, and later sends and
    /// subscriptions fail. Closing twice does nothing.
    pub fn close(&self) {
        if self.inner.remote.is_some() {
            // As in pycos, closing is for the channel's own node.
            tracing::debug!(channel = self.name(), "close of a remote channel ignored");
            return;
        }
        let (wakers, _subscribers, _transform) = {
            let mut state = self.state();
            if state.closed {
                return;
            }
            state.closed = true;
            (
                state.deliverers.notify_all(),
                state.subscribers.take(),
                state.transform.take(),
            )
        };
        table::remove(&self.inner);
        wake_all(wakers);
        // The subscribers and the transform (user code, with its captures)
        // are dropped last, outside the lock.
    }

    /// Whether [`close`](Channel::close) was called.
    pub fn is_closed(&self) -> bool {
        self.state().closed
    }
}

impl PartialEq for Channel {
    fn eq(&self, other: &Channel) -> bool {
        self.id() == other.id()
    }
}

impl Eq for Channel {}

impl Hash for Channel {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id().hash(state);
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.name)
    }
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Channel").field(&self.inner.name).finish()
    }
}
