//! The per-scheduler channel table: names are unique among open channels.
//!
//! As in pycos, the table keeps each channel (strongly) from its creation
//! until [`close`](crate::Channel::close): a channel whose handles are all
//! dropped still has its subscribers, can still be found with
//! [`locate`](crate::Channel::locate) and sent to, and keeps its name. This
//! is what lets a remote subscriber, or a task that only knows the name,
//! reach it later. The price is that an unclosed channel lives as long as
//! its scheduler; the table is emptied when the scheduler shuts down
//! ([`release_all`]), which also breaks the cycle scheduler → table →
//! channel → subscribed task → scheduler.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Channel, ChannelError, Inner};
use crate::runtime::{Pycos, Shared, context};
use crate::util::lock;

/// Open channels by name; a field of the scheduler's `Shared`.
pub(crate) type Table = HashMap<String, Arc<Inner>>;

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
    if table.contains_key(name) {
        return Err(ChannelError::Duplicate(name.to_owned()));
    }
    let inner = Arc::new(make());
    table.insert(name.to_owned(), inner.clone());
    Ok(Channel { inner })
}

/// Removes `inner`'s entry (not that of a newer channel of the same name).
pub(super) fn remove(inner: &Inner) {
    let removed = {
        let mut table = lock(&inner.sched.channels);
        let ours = table
            .get(&inner.name)
            .is_some_and(|entry| std::ptr::eq(Arc::as_ptr(entry), inner));
        if ours {
            table.remove(&inner.name)
        } else {
            None
        }
    };
    // Dropped outside the table's lock.
    drop(removed);
}

/// The open channel named `name` on the calling task's scheduler.
pub(super) fn find(name: &str) -> Option<Channel> {
    let sched = current_scheduler();
    let table = lock(&sched.channels);
    let inner = table.get(name)?.clone();
    Some(Channel { inner })
}

/// The open channel with `id` on `sched` (for peers naming it by id).
pub(crate) fn find_by_id(sched: &Arc<Shared>, id: crate::ChannelId) -> Option<Channel> {
    let table = lock(&sched.channels);
    let inner = table.values().find(|inner| inner.id == id)?.clone();
    Some(Channel { inner })
}

/// Forgets every channel of a scheduler that is shutting down. Channels
/// still held by handles keep working (sends reach no ended task); the
/// others, and the tasks they hold as subscribers, are freed.
pub(crate) fn release_all(sched: &Shared) {
    let table = std::mem::take(&mut *lock(&sched.channels));
    // Dropped outside the lock: a channel's last handle may go here.
    drop(table);
}

impl Channel {
    /// Marks the channel as registered, so that peers can locate it once
    /// the networking layer is in use. Local [`locate`](Channel::locate)
    /// finds every open channel, registered or not, as in pycos.
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
