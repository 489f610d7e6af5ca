//! Remote channel references: proxies and their resolution.

use std::fmt;
use std::sync::Arc;

use crate::{Channel, ChannelId, Pycos};

/// A channel on another node, as a peer names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteChannel {
    /// The node's address as it prints (`ip:port`); opaque to the core.
    pub location: Arc<str>,
    /// The channel's id on its node.
    pub id: ChannelId,
    /// The channel's name on its node.
    pub name: Arc<str>,
}

impl fmt::Display for RemoteChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.name, self.location)
    }
}

/// A peer's reference named a channel of this node that is not open here,
/// or the scheduler has no hook to reach other nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownChannel(pub ChannelId);

impl fmt::Display for UnknownChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no open channel with id {:?} on this node", self.0)
    }
}

impl std::error::Error for UnknownChannel {}

impl Channel {
    /// The handle for `remote`, reached through `sched`'s hook; a reference
    /// to a channel of this node resolves to the channel itself.
    ///
    /// # Errors
    ///
    /// [`UnknownChannel`] for an id of this node that is not open, or when
    /// `sched` has no hook.
    #[doc(hidden)]
    pub fn from_remote(sched: &Pycos, remote: RemoteChannel) -> Result<Channel, UnknownChannel> {
        if remote.id.incarnation() == crate::id::incarnation() {
            return resolve_channel(sched, remote.id).ok_or(UnknownChannel(remote.id));
        }
        if sched.shared.hook.get().is_none() {
            return Err(UnknownChannel(remote.id));
        }
        Ok(Channel::proxy(sched.shared.clone(), remote))
    }
}

/// The open channel with `id` on `sched`.
pub fn resolve_channel(sched: &Pycos, id: ChannelId) -> Option<Channel> {
    crate::channel::find_by_id(&sched.shared, id)
}

/// The channel registered as `name` on `sched` (for peers locating it).
pub fn find_channel(sched: &Pycos, name: &str) -> Option<Channel> {
    crate::channel::find_registered(&sched.shared, name)
}
