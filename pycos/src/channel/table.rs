//! The channel side of the scheduler's registry (`runtime::registry`):
//! names are unique among open channels.
//!
//! As in pycos, the registry keeps each channel (strongly) from its
//! creation until [`close`](crate::Channel::close): a channel whose handles
//! are all dropped still has its subscribers, can still be found with
//! [`locate`](crate::Channel::locate) and sent to, and keeps its name. This
//! is what lets a remote subscriber, or a task that only knows the name,
//! reach it later. The price is that an unclosed channel lives as long as
//! its scheduler; the table is emptied when the scheduler shuts down
//! ([`release_all`]), which also breaks the cycle scheduler → registry →
//! channel → subscribed task → scheduler.

use std::sync::Arc;

use super::{Channel, ChannelError, Inner};
use crate::runtime::{Pycos, Shared, context};

/// The scheduler running the calling task, or the process-wide one.
pub(super) fn current_scheduler() -> Arc<Shared> {
    context::with_core(|core| core.shared.clone()).unwrap_or_else(|| Pycos::instance().shared)
}

/// Enters a new channel built by `make` under `name`.
pub(super) fn insert(
    sched: &Arc<Shared>,
    name: &str,
    make: impl FnOnce() -> Inner,
) -> Result<Channel, ChannelError> {
    let inner = sched.registry.insert_channel(name, make)?;
    Ok(Channel { inner })
}

/// Removes `inner`'s entry (not that of a newer channel of the same name).
pub(super) fn remove(inner: &Inner) {
    // Dropped here, outside the registry's lock.
    drop(inner.sched.registry.remove_channel(inner));
}

/// The open channel named `name` on the calling task's scheduler.
pub(super) fn find(name: &str) -> Option<Channel> {
    let inner = current_scheduler().registry.channel(name)?;
    Some(Channel { inner })
}

/// The channel registered as `name` on `sched` (for peers locating it).
pub(crate) fn find_registered(sched: &Arc<Shared>, name: &str) -> Option<Channel> {
    let inner = sched.registry.channel(name)?;
    Some(Channel { inner })
}

/// The open channel with `id` on `sched` (for peers naming it by id).
pub(crate) fn find_by_id(sched: &Arc<Shared>, id: crate::ChannelId) -> Option<Channel> {
    let inner = sched.registry.channel_by_id(id)?;
    Some(Channel { inner })
}

/// Forgets every channel of a scheduler that is shutting down (see
/// `Registry::release_channels`).
pub(crate) fn release_all(sched: &Shared) {
    sched.registry.release_channels();
}

impl Channel {
    /// Marks the channel as registered, so that peers can locate it once
    /// the networking layer is in use. Local [`locate`](Channel::locate)
    /// finds every open channel, registered or not, as in pycos.
    ///
    /// # Errors
    ///
    /// [`ChannelError::AlreadyRegistered`]; [`ChannelError::Closed`] if the
    /// channel is closed, or is in no scheduler's registry at all: a proxy of
    /// a remote channel (registering is for the channel's own node, as in
    /// pycos) or a channel whose scheduler has shut down.
    pub fn register(&self) -> Result<(), ChannelError> {
        self.inner.sched.registry.register_channel(&self.inner)
    }

    /// Undoes [`register`](Channel::register).
    ///
    /// # Errors
    ///
    /// [`ChannelError::NotRegistered`] if the channel is not registered.
    pub fn unregister(&self) -> Result<(), ChannelError> {
        self.inner.sched.registry.unregister_channel(&self.inner)
    }

    /// Whether the channel is registered.
    pub fn is_registered(&self) -> bool {
        self.inner.sched.registry.is_channel_registered(&self.inner)
    }

    /// Finds the open channel named `name` on the calling task's scheduler
    /// (the process-wide one outside tasks): every channel created there and
    /// not yet [closed](Channel::close), even if no handle to it is left. A
    /// wait, so that the networked version can ask peers.
    #[must_use = "`Channel::locate` looks only when awaited: write `Channel::locate(name).await`"]
    pub async fn locate(name: &str) -> Option<Channel> {
        crate::sync::charge().await;
        if let Some(found) = find(name) {
            return Some(found);
        }
        let sched = Pycos::from_shared(current_scheduler());
        let hook = crate::remote::hook(&sched)?;
        hook.locate_channel(name).await
    }
}
