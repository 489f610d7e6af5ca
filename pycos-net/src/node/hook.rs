//! The node's side of the core's seam: every operation on a handle of a
//! remote task or channel arrives here and becomes a frame to its peer.

use std::sync::Arc;
use std::time::Duration;

use pycos::channel::{SendError as ChannelSendError, SubscribeError, Subscriber, UnsubscribeError};
use pycos::remote::{Hook, HookFuture, RemoteChannel, RemoteTask};
use pycos::{Channel, Msg, NotAlive, SendError, Task, TaskError, ThrowError, ThrownError, WaitExt};

use crate::Location;
use crate::proto::{Answer, Op, Post};
use crate::wire::FrameKind;

use super::locate::{self, Wanted};
use super::peer::Peer;
use super::requests::{Failure, Reply, oneshot};
use super::serve::unreachable_outcome;
use super::state::{NodeState, PostError};

/// The hook installed on the node's scheduler.
#[derive(Debug)]
pub(crate) struct NodeHook {
    pub(crate) node: Arc<NodeState>,
}

/// Why an operation could not even be queued.
enum Unsent {
    Unknown(String),
    Stale,
    Offline(String),
    NotSerializable,
}

impl NodeHook {
    /// The peer of `location` for an operation on the id's incarnation. A
    /// handle can name a node this one never linked to (it came inside a
    /// message from a third node): that node is linked to on demand.
    fn peer_for(&self, location: &Arc<str>, incarnation: u64) -> Result<Arc<Peer>, Unsent> {
        let peer = match self.node.peer(location) {
            Some(peer) => peer,
            None => {
                let at: Location = location
                    .parse()
                    .map_err(|_| Unsent::Unknown(format!("{location} (not a node's location)")))?;
                let peer = self.node.peer_at(at);
                self.node.ensure_link(&peer);
                peer
            }
        };
        let known = peer.lock().incarnation;
        if known.is_some_and(|now| now != incarnation) {
            return Err(Unsent::Stale);
        }
        Ok(peer)
    }

    fn post(
        &self,
        to: &RemoteTask,
        target: u64,
        post: &Post,
        msg: Option<&Msg>,
    ) -> Result<(), Unsent> {
        if let Some(msg) = msg
            && pycos::message::wire_name(msg).is_err()
        {
            return Err(Unsent::NotSerializable);
        }
        let peer = self.peer_for(&to.location, to.id.incarnation())?;
        self.node
            .post(&peer, Some(target), FrameKind::Message, &[], post)
            .map_err(|err| match err {
                PostError::Offline => Unsent::Offline(format!("{} (offline)", to.location)),
                PostError::Encode(_) => Unsent::NotSerializable,
            })
    }

    /// Sends a request and waits for its answer up to `limit`; a late
    /// answer is dropped.
    async fn ask(
        node: &Arc<NodeState>,
        peer: &Arc<Peer>,
        target: Option<u64>,
        op: &Op,
        limit: Duration,
    ) -> Result<Answer, Failure> {
        let (reply, answered) = oneshot();
        let id = node.request(peer, target, op, reply);
        match answered.timeout(limit).await {
            Some(answer) => answer,
            None => {
                node.forget(peer, id);
                Err(Failure::TimedOut)
            }
        }
    }
}

fn task_error(unsent: Unsent, msg: Msg) -> SendError {
    match unsent {
        Unsent::Unknown(why) | Unsent::Offline(why) => SendError::unreachable(msg, why),
        Unsent::Stale => SendError::ended(msg),
        Unsent::NotSerializable => SendError::not_serializable(msg),
    }
}

fn channel_error(unsent: Unsent, msg: Msg) -> ChannelSendError {
    match unsent {
        Unsent::Unknown(why) | Unsent::Offline(why) => ChannelSendError::unreachable(msg, why),
        Unsent::Stale => ChannelSendError::closed(msg),
        Unsent::NotSerializable => ChannelSendError::not_serializable(msg),
    }
}

impl Hook for NodeHook {
    fn send(&self, to: &RemoteTask, msg: Msg) -> Result<(), SendError> {
        let post = Post::Send {
            to: to.id,
            msg: msg.clone(),
        };
        self.post(to, to.id.serial(), &post, Some(&msg))
            .map_err(|unsent| task_error(unsent, msg))
    }

    fn deliver(
        &self,
        to: &RemoteTask,
        msg: Msg,
        timeout: Option<Duration>,
    ) -> HookFuture<Result<(), SendError>> {
        let node = self.node.clone();
        let peer = self.peer_for(&to.location, to.id.incarnation());
        let to = to.clone();
        Box::pin(async move {
            if pycos::message::wire_name(&msg).is_err() {
                return Err(SendError::not_serializable(msg));
            }
            let peer = peer.map_err(|unsent| task_error(unsent, msg.clone()))?;
            let op = Op::Deliver {
                to: to.id,
                msg: msg.clone(),
            };
            let limit = timeout.unwrap_or(node.msg_timeout());
            match NodeHook::ask(&node, &peer, Some(to.id.serial()), &op, limit).await {
                Ok(Answer::Delivered) => Ok(()),
                Ok(Answer::NoTask) => Err(SendError::ended(msg)),
                Ok(other) => Err(SendError::refused(msg, format!("{other:?}"))),
                Err(Failure::Unreachable(why)) => Err(SendError::unreachable(msg, why)),
                Err(Failure::TimedOut) => Err(SendError::timed_out(msg)),
            }
        })
    }

    fn resume(&self, to: &RemoteTask, update: Msg) -> Result<(), NotAlive> {
        let post = Post::Resume {
            to: to.id,
            msg: update.clone(),
        };
        self.post(to, to.id.serial(), &post, Some(&update))
            .map_err(|_| NotAlive)
    }

    fn throw(&self, to: &RemoteTask, err: ThrownError) -> Result<(), ThrowError> {
        let post = Post::Throw {
            to: to.id,
            text: err.to_string(),
        };
        self.post(to, to.id.serial(), &post, None)
            .map_err(|unsent| match unsent {
                Unsent::Unknown(why) | Unsent::Offline(why) => ThrowError::unreachable(err, why),
                Unsent::Stale | Unsent::NotSerializable => ThrowError::ended(err),
            })
    }

    fn terminate(&self, to: &RemoteTask) -> Result<(), NotAlive> {
        self.post(to, to.id.serial(), &Post::Terminate { to: to.id }, None)
            .map_err(|_| NotAlive)
    }

    fn hot_swap(
        &self,
        to: &RemoteTask,
        name: &str,
        _args: &(dyn std::any::Any + Send),
    ) -> Result<(), NotAlive> {
        tracing::warn!(task = %to, function = name, "hot swap of a remote task is not supported");
        Err(NotAlive)
    }

    fn watch(&self, task: &Task) {
        let Some(remote) = task.remote_ref() else {
            return;
        };
        let peer = match self.peer_for(&remote.location, remote.id.incarnation()) {
            Ok(peer) => peer,
            Err(Unsent::Stale) => {
                let why = format!("{remote}: its node restarted");
                pycos::remote::ended(task, Err(TaskError::Unreachable(why)));
                return;
            }
            Err(Unsent::Unknown(why) | Unsent::Offline(why)) => {
                pycos::remote::ended(task, Err(TaskError::Unreachable(why)));
                return;
            }
            Err(Unsent::NotSerializable) => return,
        };
        let proxy = task.clone();
        let reply = Reply::new(move |answer| {
            let outcome = match answer {
                Ok(Answer::Ended(outcome)) => outcome,
                Ok(Answer::NoTask) => Err(TaskError::Unreachable(format!(
                    "{remote} had ended before it was watched: its outcome is no longer known"
                ))),
                // It ended, but its value is of a type that cannot be
                // encoded (the peer said so instead of the value).
                Ok(Answer::Failed(why)) => Err(TaskError::from_parts(
                    pycos::TaskErrorKind::Error,
                    format!("{remote} ended, but its outcome {why}"),
                )),
                Ok(other) => Err(TaskError::Unreachable(format!(
                    "unexpected answer {other:?}"
                ))),
                Err(failure) => unreachable_outcome(failure),
            };
            pycos::remote::ended(&proxy, outcome);
        });
        self.node
            .request(&peer, None, &Op::Watch { task: task.id() }, reply);
    }

    fn locate_task(&self, name: &str) -> HookFuture<Option<Task>> {
        let node = self.node.clone();
        let name = name.to_owned();
        Box::pin(async move {
            let limit = node.msg_timeout();
            locate::find(&node, Wanted::Task(name), None, limit)
                .await
                .and_then(|found| found.into_task())
        })
    }

    fn channel_send(&self, to: &RemoteChannel, msg: Msg) -> Result<(), ChannelSendError> {
        let peer = match self.peer_for(&to.location, to.id.incarnation()) {
            Ok(peer) => peer,
            Err(unsent) => return Err(channel_error(unsent, msg)),
        };
        if pycos::message::wire_name(&msg).is_err() {
            return Err(ChannelSendError::not_serializable(msg));
        }
        let post = Post::ChannelSend {
            to: to.id,
            msg: msg.clone(),
        };
        self.node
            .post(&peer, Some(to.id.serial()), FrameKind::Message, &[], &post)
            .map_err(|err| match err {
                PostError::Offline => {
                    ChannelSendError::unreachable(msg, format!("{} (offline)", to.location))
                }
                PostError::Encode(_) => ChannelSendError::not_serializable(msg),
            })
    }

    fn channel_deliver(
        &self,
        to: &RemoteChannel,
        msg: Msg,
        n: usize,
        timeout: Option<Duration>,
    ) -> HookFuture<Result<usize, ChannelSendError>> {
        let node = self.node.clone();
        let peer = self.peer_for(&to.location, to.id.incarnation());
        let to = to.clone();
        Box::pin(async move {
            if pycos::message::wire_name(&msg).is_err() {
                return Err(ChannelSendError::not_serializable(msg));
            }
            let peer = peer.map_err(|unsent| channel_error(unsent, msg.clone()))?;
            let op = Op::ChannelDeliver {
                to: to.id,
                msg: msg.clone(),
                n: n as u64,
                timeout_ms: timeout.map(|t| t.as_millis().min(u128::from(u64::MAX)) as u64),
            };
            // The peer waits up to `timeout` for subscribers; the answer
            // then needs the time of a request on top.
            let limit = timeout.map_or(Duration::MAX, |t| t.saturating_add(node.msg_timeout()));
            match NodeHook::ask(&node, &peer, Some(to.id.serial()), &op, limit).await {
                Ok(Answer::Reached(count)) => Ok(usize::try_from(count).unwrap_or(usize::MAX)),
                Ok(Answer::NoChannel | Answer::Closed(_)) => Err(ChannelSendError::closed(msg)),
                Ok(other) => Err(ChannelSendError::refused(msg, format!("{other:?}"))),
                Err(Failure::Unreachable(why)) => Err(ChannelSendError::unreachable(msg, why)),
                Err(Failure::TimedOut) => Err(ChannelSendError::timed_out(msg)),
            }
        })
    }

    fn channel_subscribe(
        &self,
        to: &RemoteChannel,
        subscriber: Subscriber,
    ) -> HookFuture<Result<(), SubscribeError>> {
        let node = self.node.clone();
        let peer = self.peer_for(&to.location, to.id.incarnation());
        let to = to.clone();
        Box::pin(async move {
            let peer = peer.map_err(|_| SubscribeError::Unreachable(to.location.to_string()))?;
            let op = Op::Subscribe {
                to: to.id,
                subscriber,
            };
            match NodeHook::ask(&node, &peer, Some(to.id.serial()), &op, node.msg_timeout()).await {
                Ok(Answer::Done) => Ok(()),
                Ok(Answer::Cycle {
                    channel,
                    subscriber,
                }) => Err(SubscribeError::Cycle {
                    channel,
                    subscriber,
                }),
                Ok(Answer::Closed(name)) => Err(SubscribeError::Closed(name)),
                Ok(Answer::NoChannel) => Err(SubscribeError::Closed(to.name.to_string())),
                Ok(other) => Err(SubscribeError::Refused(format!("{other:?}"))),
                Err(Failure::Unreachable(why)) => Err(SubscribeError::Unreachable(why)),
                Err(Failure::TimedOut) => Err(SubscribeError::TimedOut),
            }
        })
    }

    fn channel_unsubscribe(
        &self,
        to: &RemoteChannel,
        subscriber: Subscriber,
    ) -> HookFuture<Result<(), UnsubscribeError>> {
        let node = self.node.clone();
        let peer = self.peer_for(&to.location, to.id.incarnation());
        let to = to.clone();
        Box::pin(async move {
            let peer = peer.map_err(|_| UnsubscribeError::Unreachable(to.location.to_string()))?;
            let op = Op::Unsubscribe {
                to: to.id,
                subscriber,
            };
            match NodeHook::ask(&node, &peer, Some(to.id.serial()), &op, node.msg_timeout()).await {
                Ok(Answer::Done) => Ok(()),
                Ok(Answer::NotSubscribed) => Err(UnsubscribeError::NotSubscribed),
                Ok(other) => Err(UnsubscribeError::Refused(format!("{other:?}"))),
                Err(Failure::Unreachable(why)) => Err(UnsubscribeError::Unreachable(why)),
                Err(Failure::TimedOut) => Err(UnsubscribeError::TimedOut),
            }
        })
    }

    fn channel_reaches(
        &self,
        from: &RemoteChannel,
        target: &Channel,
        depth: u32,
    ) -> HookFuture<bool> {
        let node = self.node.clone();
        let peer = self.peer_for(&from.location, from.id.incarnation());
        let op = Op::Reaches {
            from: from.id,
            target: target.clone(),
            depth,
        };
        Box::pin(async move {
            let Ok(peer) = peer else {
                return false; // an unreachable hierarchy passes nothing on
            };
            matches!(
                NodeHook::ask(&node, &peer, None, &op, node.msg_timeout()).await,
                Ok(Answer::Reaches(true))
            )
        })
    }

    fn locate_channel(&self, name: &str) -> HookFuture<Option<Channel>> {
        let node = self.node.clone();
        let name = name.to_owned();
        Box::pin(async move {
            let limit = node.msg_timeout();
            locate::find(&node, Wanted::Channel(name), None, limit)
                .await
                .and_then(|found| found.into_channel())
        })
    }
}
