//! The per-scheduler channel table: names are unique among live channels.
//!
//! The table holds weak references, so a channel lives as long as a handle
//! to it does (a subscription of one channel to another holds one); when
//! the last handle goes, or at [`close`](crate::Channel::close), the name is
//! free again. pycos keeps every channel until it is closed.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use super::{Channel, ChannelError, Inner};
use crate::runtime::{Pycos, Shared, context};
use crate::sync::lock;

/// Live channels by name; a field of the scheduler's `Shared`.
pub(crate) type Table = HashMap<String, Weak<Inner>>;

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
    let mut table = lock(&sched.channels);
    if table
        .get(name)
        .is_some_and(|entry| entry.strong_count() > 0)
    {
        return Err(ChannelError::Duplicate(name.to_owned()));
    }
    let inner = Arc::new(make());
    table.insert(name.to_owned(), Arc::downgrade(&inner));
    Ok(Channel { inner })
}

/// Removes `inner`'s entry (not that of a newer channel of the same name).
pub(super) fn remove(inner: &Inner) {
    let mut table = lock(&inner.sched.channels);
    let ours = table
        .get(&inner.name)
        .is_some_and(|entry| std::ptr::eq(entry.as_ptr(), inner));
    if ours {
        table.remove(&inner.name);
    }
}

/// The live channel named `name` on the calling task's scheduler.
pub(super) fn find(name: &str) -> Option<Channel> {
    let sched = current_scheduler();
    let table = lock(&sched.channels);
    let inner = table.get(name)?.upgrade()?;
    Some(Channel { inner })
}

impl Channel {
    /// Marks the channel as registered, so that peers can locate it once
    /// the networking layer is in use. Local [`locate`](Channel::locate)
    /// finds every live channel, registered or not, as in pycos.
    ///
    /// # Errors
    ///
    /// [`ChannelError::AlreadyRegistered`], or [`ChannelError::Closed`].
    pub fn register(&self) -> Result<(), ChannelError> {
        let mut state = self.state();
        if state.closed {
            return Err(ChannelError::Closed(self.inner.name.clone()));
        }
        if state.registered {
            return Err(ChannelError::AlreadyRegistered(self.inner.name.clone()));
        }
        state.registered = true;
        Ok(())
    }

    /// Undoes [`register`](Channel::register).
    ///
    /// # Errors
    ///
    /// [`ChannelError::NotRegistered`] if the channel is not registered.
    pub fn unregister(&self) -> Result<(), ChannelError> {
        let mut state = self.state();
        if !state.registered {
            return Err(ChannelError::NotRegistered(self.inner.name.clone()));
        }
        state.registered = false;
        Ok(())
    }

    /// Whether the channel is registered.
    pub fn is_registered(&self) -> bool {
        self.state().registered
    }

    /// Finds the live channel named `name` on the calling task's scheduler
    /// (the process-wide one outside tasks). A wait, so that the networked
    /// version can ask peers.
    #[must_use = "`Channel::locate` looks only when awaited: write `Channel::locate(name).await`"]
    pub async fn locate(name: &str) -> Option<Channel> {
        find(name)
    }
}
