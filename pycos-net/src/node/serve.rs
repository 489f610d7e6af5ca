//! Serving a peer: what each frame from it does here.

use std::sync::Arc;
use std::time::Duration;

use pycos::channel::{SubscribeError, UnsubscribeError};
use pycos::message::{WireContext, with_wire_context};
use pycos::prelude::*;
use pycos::{Channel, Msg, TaskError};

use crate::proto::{Answer, ID_LEN, Op, Post, split_id};
use crate::wire::{FrameKind, decode};

use super::peer::Peer;
use super::requests::Failure;
use super::state::NodeState;

/// One link's server: decodes with the peer as the sender of handles.
pub(crate) struct Serve {
    node: Arc<NodeState>,
    peer: Arc<Peer>,
    ctx: WireContext,
}

impl Serve {
    pub(crate) fn new(node: Arc<NodeState>, peer: Arc<Peer>) -> Serve {
        let ctx = WireContext {
            sched: node.sched.clone(),
            peer: peer.key.clone(),
        };
        Serve { node, peer, ctx }
    }

    /// Runs `f` with this link's wire context set for the thread: every
    /// [`frame`](Self::frame) call must be inside it (handles in the frames
    /// decode as the peer's). Set once for a whole read's frames, not once
    /// per frame.
    pub(crate) fn in_context<R>(&self, f: impl FnOnce() -> R) -> R {
        with_wire_context(&self.ctx, f)
    }

    /// Decodes a frame's value; inside [`in_context`](Self::in_context).
    fn decode<T: serde::de::DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, String> {
        decode(bytes, self.node.cfg.max_frame).map_err(|err| err.to_string())
    }

    /// Handles one frame, inside [`in_context`](Self::in_context). Nothing
    /// a peer sends can stop the link: what cannot be decoded is logged
    /// (and, for a request, answered so).
    pub(crate) fn frame(&self, kind: FrameKind, body: &[u8]) {
        match kind {
            FrameKind::Message => self.post(body),
            FrameKind::Request => self.request(body),
            FrameKind::Reply => self.reply(body),
            FrameKind::Tick => {}
            other => {
                tracing::warn!(peer = %self.peer.location, ?other, "unexpected frame ignored");
            }
        }
    }

    fn post(&self, body: &[u8]) {
        let post: Post = match self.decode(body) {
            Ok(post) => post,
            Err(err) => {
                tracing::warn!(peer = %self.peer.location, %err, "undecodable message dropped");
                return;
            }
        };
        let outcome = match post {
            Post::Send { to, msg } => pycos::remote::resolve(to).map(|task| task.send(msg).is_ok()),
            Post::ChannelSend { to, msg } => pycos::remote::resolve_channel(&self.node.sched, to)
                .map(|channel| channel.send(msg).is_ok()),
            Post::Resume { to, msg } => {
                pycos::remote::resolve(to).map(|task| task.resume(msg).is_ok())
            }
            Post::Throw { to, text } => {
                pycos::remote::resolve(to).map(|task| task.throw(text).is_ok())
            }
            Post::Terminate { to } => {
                pycos::remote::resolve(to).map(|task| task.terminate().is_ok())
            }
        };
        if outcome != Some(true) {
            // At most once: a message for a task that is gone is dropped.
            tracing::debug!(peer = %self.peer.location, "message for an ended task dropped");
        }
    }

    fn request(&self, body: &[u8]) {
        let Some((id, rest)) = split_id(body) else {
            tracing::warn!(peer = %self.peer.location, "request without an id dropped");
            return;
        };
        match self.decode::<Op>(rest) {
            Ok(op) => self.serve(id, op),
            Err(err) => self.answer(
                id,
                &Answer::Failed(format!("request not understood: {err}")),
            ),
        }
    }

    fn serve(&self, id: u64, op: Op) {
        let sched = &self.node.sched;
        match op {
            Op::Deliver { to, msg } => {
                let answer = match pycos::remote::resolve(to) {
                    Some(task) if task.send(msg).is_ok() => Answer::Delivered,
                    _ => Answer::NoTask,
                };
                self.answer(id, &answer);
            }
            Op::LocateTask { name } => self.answer(id, &Answer::FoundTask(sched.locate(&name))),
            Op::LocateChannel { name } => self.answer(
                id,
                &Answer::FoundChannel(pycos::remote::find_channel(sched, &name)),
            ),
            Op::Watch { task } => match pycos::remote::resolve(task) {
                Some(task) => self.later(id, watch(task)),
                None => self.answer(id, &Answer::NoTask),
            },
            Op::ChannelDeliver {
                to,
                msg,
                n,
                timeout_ms,
            } => match pycos::remote::resolve_channel(sched, to) {
                Some(channel) => {
                    let limit = timeout_ms.map(Duration::from_millis);
                    let n = usize::try_from(n).unwrap_or(usize::MAX);
                    self.later(id, channel_deliver(channel, msg, n, limit));
                }
                None => self.answer(id, &Answer::NoChannel),
            },
            Op::Subscribe { to, subscriber } => match pycos::remote::resolve_channel(sched, to) {
                Some(channel) => self.later(id, subscribe(channel, subscriber)),
                None => self.answer(id, &Answer::NoChannel),
            },
            Op::Reaches {
                from,
                target,
                depth,
            } => match pycos::remote::resolve_channel(sched, from) {
                Some(channel) => self.later(id, reaches(channel, target, depth)),
                None => self.answer(id, &Answer::Reaches(false)),
            },
            Op::Unsubscribe { to, subscriber } => match pycos::remote::resolve_channel(sched, to) {
                Some(channel) => self.later(id, unsubscribe(channel, subscriber)),
                None => self.answer(id, &Answer::NoChannel),
            },
            Op::FileStart(offer) => crate::files::serve_start(&self.node, &self.peer, id, offer),
            Op::FileChunk(chunk) => crate::files::serve_chunk(&self.node, &self.peer, id, chunk),
            Op::FileDelete(name) => crate::files::serve_delete(&self.node, &self.peer, id, name),
            Op::LocateRps { name } => self.answer(id, &crate::rps::serve::locate(&name)),
            Op::RunRps {
                name,
                signature,
                args,
            } => {
                let answer = crate::rps::serve::run(&self.node, &name, signature, &args);
                self.answer(id, &answer);
            }
        }
    }

    /// Answers `id` when the spec's task ends, with its value.
    fn later(&self, id: u64, spec: TaskSpec<Answer>) {
        let task = self.node.sched.spawn(spec);
        self.node.sched.spawn(answer_when_done(
            self.node.clone(),
            self.peer.clone(),
            id,
            task,
        ));
    }

    fn answer(&self, id: u64, answer: &Answer) {
        send_answer(&self.node, &self.peer, id, answer);
    }

    fn reply(&self, body: &[u8]) {
        let Some((id, rest)) = split_id(body) else {
            tracing::warn!(peer = %self.peer.location, "reply without an id dropped");
            return;
        };
        let reply = self.peer.lock().pending.remove(&id);
        let Some(reply) = reply else {
            // Its caller gave up (timed out): a late reply is dropped.
            tracing::debug!(peer = %self.peer.location, id, "late reply dropped");
            return;
        };
        match self.decode::<Answer>(rest) {
            Ok(answer) => reply.answer(Ok(answer)),
            Err(err) => reply.answer(Err(Failure::Unreachable(format!(
                "{} (sent an answer this node cannot read: {err})",
                self.peer.location
            )))),
        }
    }
}

/// Queues the answer to request `id`; an answer that cannot be encoded
/// (a value of an unregistered type) is replaced by a failure saying so.
pub(crate) fn send_answer(node: &Arc<NodeState>, peer: &Arc<Peer>, id: u64, answer: &Answer) {
    let prefix: [u8; ID_LEN] = id.to_be_bytes();
    match node.post(peer, None, FrameKind::Reply, &prefix, answer) {
        Ok(()) => {}
        Err(super::state::PostError::Encode(err)) => {
            let failed = Answer::Failed(format!("the answer cannot cross the wire: {err}"));
            let _ = node.post(peer, None, FrameKind::Reply, &prefix, &failed);
        }
        Err(super::state::PostError::Offline) => {}
    }
}

#[task]
fn answer_when_done(
    node: Arc<NodeState>,
    peer: Arc<Peer>,
    id: u64,
    work: Task<Answer>,
    task: TaskCtx,
) {
    task.set_daemon(true);
    let answer = match work.finish().await {
        Ok(answer) => answer,
        Err(err) => Answer::Failed(err.to_string()),
    };
    send_answer(&node, &peer, id, &answer);
}

#[task]
fn watch(target: Task, task: TaskCtx) -> Answer {
    task.set_daemon(true);
    Answer::Ended(target.finish().await)
}

#[task]
fn channel_deliver(
    channel: Channel,
    msg: Msg,
    n: usize,
    limit: Option<Duration>,
    task: TaskCtx,
) -> Answer {
    task.set_daemon(true);
    match channel.deliver(msg, n, limit).await {
        Ok(reached) => Answer::Reached(reached as u64),
        Err(_) => Answer::Closed(channel.name().to_owned()),
    }
}

#[task]
fn subscribe(channel: Channel, subscriber: pycos::channel::Subscriber, task: TaskCtx) -> Answer {
    task.set_daemon(true);
    match channel.subscribe(subscriber).await {
        Ok(()) => Answer::Done,
        Err(SubscribeError::Cycle {
            channel,
            subscriber,
        }) => Answer::Cycle {
            channel,
            subscriber,
        },
        Err(SubscribeError::Closed(name)) => Answer::Closed(name),
        Err(other) => Answer::Failed(other.to_string()),
    }
}

#[task]
fn reaches(from: Channel, target: Channel, depth: u32, task: TaskCtx) -> Answer {
    task.set_daemon(true);
    Answer::Reaches(from.reaches_across(&target, depth).await)
}

#[task]
fn unsubscribe(channel: Channel, subscriber: pycos::channel::Subscriber, task: TaskCtx) -> Answer {
    task.set_daemon(true);
    match channel.unsubscribe(subscriber).await {
        Ok(()) => Answer::Done,
        Err(UnsubscribeError::NotSubscribed) => Answer::NotSubscribed,
        Err(other) => Answer::Failed(other.to_string()),
    }
}

/// Why a watched remote task's outcome is unknown.
pub(crate) fn unreachable_outcome(failure: Failure) -> Result<Msg, TaskError> {
    Err(match failure {
        Failure::Unreachable(why) => TaskError::Unreachable(why),
        Failure::TimedOut => TaskError::TimedOut,
    })
}
