//! serde for the framework's handles and values: [`Task`], [`Channel`],
//! [`TaskError`] and the ids ([`MonitorStatus`](crate::MonitorStatus) and
//! [`Subscriber`](crate::Subscriber) derive theirs from these).
//!
//! A handle crosses as a reference: `(location, id, name)`. The location
//! is `None` for the sender's own task or channel ("the sender's node"),
//! else the node a proxy stands for. Encoding a local task exports it
//! ([`remote::export`]), so the peer can name it by id until it ends.
//! Decoding needs the thread's [`WireContext`](super::WireContext): `None`
//! becomes the sender's location, and the reference becomes a handle with
//! `from_remote`, which gives back the local task or channel itself for a
//! reference to this node. Ids cross as `(incarnation, serial)`; a task
//! error as its kind's stable name and its text.

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::context;
use crate::remote::{self, RemoteChannel, RemoteTask};
use crate::{Channel, ChannelId, Task, TaskError, TaskErrorKind, TaskId};

/// A handle on the wire, as encoded.
#[derive(Serialize)]
#[serde(rename = "Handle")]
struct HandleRef<'a, Id> {
    location: Option<&'a str>,
    id: Id,
    name: &'a str,
}

/// A handle on the wire, as decoded.
#[derive(Deserialize)]
#[serde(rename = "Handle")]
struct HandleOwned<Id> {
    location: Option<String>,
    id: Id,
    name: String,
}

impl<R> Serialize for Task<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let target = remote::is_remote(self)
            .then(|| self.untyped().remote_ref())
            .flatten();
        match target {
            Some(target) => HandleRef {
                location: Some(&target.location),
                id: target.id,
                name: &target.name,
            }
            .serialize(serializer),
            None => {
                remote::export(self);
                HandleRef {
                    location: None,
                    id: self.id(),
                    name: self.name(),
                }
                .serialize(serializer)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Task {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Task, D::Error> {
        let wire = HandleOwned::<TaskId>::deserialize(deserializer)?;
        let ctx = context::current()
            .ok_or_else(|| de::Error::custom("a Task can only be decoded by a pycos-net node"))?;
        let target = RemoteTask {
            location: wire.location.map_or(ctx.peer, Into::into),
            id: wire.id,
            name: wire.name.into(),
        };
        let name = format!("{}/{}", target.name, target.id);
        Task::from_remote(&ctx.sched, target).map_err(|_| {
            de::Error::custom(format_args!(
                "task {name} is not (or no longer) on this node"
            ))
        })
    }
}

impl Serialize for Channel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.remote_ref() {
            Some(target) => HandleRef {
                location: Some(&target.location),
                id: target.id,
                name: &target.name,
            }
            .serialize(serializer),
            // An open channel is found by id (`resolve_channel`): no export.
            None => HandleRef {
                location: None,
                id: self.id(),
                name: self.name(),
            }
            .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Channel, D::Error> {
        let wire = HandleOwned::<ChannelId>::deserialize(deserializer)?;
        let ctx = context::current().ok_or_else(|| {
            de::Error::custom("a Channel can only be decoded by a pycos-net node")
        })?;
        let target = RemoteChannel {
            location: wire.location.map_or(ctx.peer, Into::into),
            id: wire.id,
            name: wire.name.into(),
        };
        Channel::from_remote(&ctx.sched, target).map_err(de::Error::custom)
    }
}

impl Serialize for TaskError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kind, text) = self.to_parts();
        (kind.as_str(), text).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TaskError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TaskError, D::Error> {
        let (kind, text) = <(String, String)>::deserialize(deserializer)?;
        let kind = TaskErrorKind::from_name(&kind)
            .ok_or_else(|| de::Error::custom(format_args!("unknown task error kind `{kind}`")))?;
        Ok(TaskError::from_parts(kind, text))
    }
}

macro_rules! id_serde {
    ($id:ident) => {
        /// `(incarnation, serial)`.
        impl Serialize for $id {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                (self.incarnation(), self.serial()).serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $id {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$id, D::Error> {
                let (incarnation, serial) = <(u64, u64)>::deserialize(deserializer)?;
                Ok($id::from_parts(incarnation, serial))
            }
        }
    };
}

id_serde!(TaskId);
id_serde!(ChannelId);
