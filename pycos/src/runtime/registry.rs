//! [`Registry`]: a scheduler's names — registered tasks and open channels —
//! behind one lock.
//!
//! Two namespaces, as in pycos (its registered tasks and its channel table
//! are separate maps), so a task and a channel may have the same name:
//!
//! - **Tasks** enter by [`TaskCtx::register`](crate::TaskCtx::register),
//!   under as many names as they like, and leave by `unregister` or when
//!   they end (`Shared::end_task` releases the names the task's header
//!   lists). Names are non-empty and do not start with `^`, which pycos
//!   reserves for system tasks.
//! - **Channels**: every local channel enters at its creation under its
//!   name, unique among open channels, and stays — strongly, see
//!   `channel::table` for why — until it is closed or its scheduler shuts
//!   down ([`Registry::release_channels`]). A proxy of a remote channel is
//!   never here. [`Channel::register`](crate::Channel::register) only sets
//!   the entry's flag: what peers may locate; a local `locate` finds every
//!   open channel, as in pycos.
//!
//! `Task::locate` and `Channel::locate` look here first and ask the
//! scheduler's remote hook only for a name not found (see `crate::remote`).
//!
//! Limits: the one `Mutex` is held for a map operation only, never while
//! user code runs, and what leaves the maps is dropped after it is released
//! (a channel's last reference drops its subscribers and its transform,
//! which is user code). Finding a channel by id scans the open channels:
//! it serves peers naming a channel, not a hot path.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::ChannelId;
use crate::channel::{ChannelError, Inner};
use crate::task::{RegisterError, Task};
use crate::util::lock;

/// A scheduler's task names and channel table; a field of its `Shared`.
#[derive(Default)]
pub(crate) struct Registry {
    names: Mutex<Names>,
}

#[derive(Default)]
struct Names {
    tasks: HashMap<String, Task>,
    channels: HashMap<String, ChannelEntry>,
}

/// An open channel, and whether it is registered for peers.
struct ChannelEntry {
    channel: Arc<Inner>,
    registered: bool,
}

impl Names {
    /// `channel`'s own entry (not that of a newer channel of its name).
    fn entry_of(&mut self, channel: &Inner) -> Option<&mut ChannelEntry> {
        self.channels
            .get_mut(&channel.name)
            .filter(|entry| entry.channel.id == channel.id)
    }
}

impl Registry {
    fn names(&self) -> MutexGuard<'_, Names> {
        lock(&self.names)
    }

    /// Enters `task` under `name`.
    pub(crate) fn register_task(&self, name: &str, task: &Task) -> Result<(), RegisterError> {
        if name.is_empty() || name.starts_with('^') {
            return Err(RegisterError::InvalidName(name.to_owned()));
        }
        let mut names = self.names();
        if names.tasks.contains_key(name) {
            return Err(RegisterError::Taken(name.to_owned()));
        }
        names.tasks.insert(name.to_owned(), task.clone());
        Ok(())
    }

    /// Releases the task name `name`; the caller knows it is its own.
    pub(crate) fn unregister_task(&self, name: &str) {
        let removed = self.names().tasks.remove(name);
        drop(removed);
    }

    /// Releases the task names `names` (of an ended task).
    pub(crate) fn unregister_tasks(&self, names: &[String]) {
        let removed: Vec<Task> = {
            let mut held = self.names();
            names
                .iter()
                .filter_map(|name| held.tasks.remove(name))
                .collect()
        };
        drop(removed);
    }

    /// The task registered under `name`.
    pub(crate) fn task(&self, name: &str) -> Option<Task> {
        self.names().tasks.get(name).cloned()
    }

    /// Enters a new channel built by `make` under `name`, free among the
    /// open channels.
    pub(crate) fn insert_channel(
        &self,
        name: &str,
        make: impl FnOnce() -> Inner,
    ) -> Result<Arc<Inner>, ChannelError> {
        let mut names = self.names();
        if names.channels.contains_key(name) {
            return Err(ChannelError::Duplicate(name.to_owned()));
        }
        let channel = Arc::new(make());
        let entry = ChannelEntry {
            channel: channel.clone(),
            registered: false,
        };
        names.channels.insert(name.to_owned(), entry);
        Ok(channel)
    }

    /// Removes `channel`'s entry, handing it back to be dropped after the
    /// lock.
    pub(crate) fn remove_channel(&self, channel: &Inner) -> Option<Arc<Inner>> {
        let mut names = self.names();
        names.entry_of(channel)?;
        Some(names.channels.remove(&channel.name)?.channel)
    }

    /// The open channel named `name`.
    pub(crate) fn channel(&self, name: &str) -> Option<Arc<Inner>> {
        Some(self.names().channels.get(name)?.channel.clone())
    }

    /// The open channel with `id`.
    pub(crate) fn channel_by_id(&self, id: ChannelId) -> Option<Arc<Inner>> {
        let names = self.names();
        let entry = names
            .channels
            .values()
            .find(|entry| entry.channel.id == id)?;
        Some(entry.channel.clone())
    }

    /// Marks `channel` as registered.
    ///
    /// # Errors
    ///
    /// [`ChannelError::Closed`] if it is not in the table (closed, released
    /// at shutdown, or a proxy); [`ChannelError::AlreadyRegistered`].
    pub(crate) fn register_channel(&self, channel: &Inner) -> Result<(), ChannelError> {
        let mut names = self.names();
        let Some(entry) = names.entry_of(channel) else {
            return Err(ChannelError::Closed(channel.name.clone()));
        };
        if entry.registered {
            return Err(ChannelError::AlreadyRegistered(channel.name.clone()));
        }
        entry.registered = true;
        Ok(())
    }

    /// Clears `channel`'s registered mark.
    ///
    /// # Errors
    ///
    /// [`ChannelError::NotRegistered`] if it is not registered.
    pub(crate) fn unregister_channel(&self, channel: &Inner) -> Result<(), ChannelError> {
        let mut names = self.names();
        match names.entry_of(channel) {
            Some(entry) if entry.registered => {
                entry.registered = false;
                Ok(())
            }
            _ => Err(ChannelError::NotRegistered(channel.name.clone())),
        }
    }

    /// Whether `channel` is registered.
    pub(crate) fn is_channel_registered(&self, channel: &Inner) -> bool {
        self.names()
            .entry_of(channel)
            .is_some_and(|entry| entry.registered)
    }

    /// Forgets every channel, for a scheduler that is shutting down.
    /// Channels still held by handles keep working (sends reach no ended
    /// task); the others, and the tasks they hold as subscribers, are freed.
    pub(crate) fn release_channels(&self) {
        let channels = std::mem::take(&mut self.names().channels);
        // Dropped outside the lock: a channel's last reference may go here.
        drop(channels);
    }
}
