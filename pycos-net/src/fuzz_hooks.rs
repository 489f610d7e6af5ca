//! The post-handshake envelopes (`Post`, `Op`, `Answer`, and the
//! `Msg` inside them) for the fuzz and security tests only: decoders
//! that decode and drop, and encoders of valid samples to mutate or send.
//!
//! Decoding runs under the calling thread's wire context (see
//! `pycos::message::with_wire_context`), as the links decode: without one,
//! every handle inside fails to decode (an error, never a panic).

use pycos::channel::Subscriber;
use pycos::{Channel, Msg, Task, TaskError, TaskId};

use crate::proto::{Answer, ID_LEN, Op, Post, split_id};
use crate::wire::{DEFAULT_MAX_FRAME, DecodeError, EncodeError, decode, encode};

/// Decodes a Message frame's body (a `Post`) and drops it.
pub fn post(body: &[u8]) -> Result<(), DecodeError> {
    decode::<Post>(body, DEFAULT_MAX_FRAME).map(drop)
}

/// Decodes a request's op (the part after the id) and drops it.
pub fn op(body: &[u8]) -> Result<(), DecodeError> {
    decode::<Op>(body, DEFAULT_MAX_FRAME).map(drop)
}

/// Decodes a reply's answer (the part after the id) and drops it.
pub fn answer(body: &[u8]) -> Result<(), DecodeError> {
    decode::<Answer>(body, DEFAULT_MAX_FRAME).map(drop)
}

/// Decodes one message payload and drops it.
pub fn msg(body: &[u8]) -> Result<(), DecodeError> {
    decode::<Msg>(body, DEFAULT_MAX_FRAME).map(drop)
}

/// A Request or Reply frame body as the links split it: the id, then the
/// op (`request`) or the answer; `None` when the id is cut short.
pub fn request_or_reply(body: &[u8], request: bool) -> Option<Result<u64, DecodeError>> {
    let (id, rest) = split_id(body)?;
    Some(if request { op(rest) } else { answer(rest) }.map(|()| id))
}

/// The Message body of `Task::send(msg)` to the task `to` of the peer.
pub fn send_post(to: TaskId, msg: Msg) -> Result<Vec<u8>, EncodeError> {
    encode(&Post::Send { to, msg })
}

/// The Request body of `Task::deliver(msg)` to the task `to`, as request
/// `id`.
pub fn deliver_request(id: u64, to: TaskId, msg: Msg) -> Result<Vec<u8>, EncodeError> {
    let mut body = id.to_be_bytes().to_vec();
    debug_assert_eq!(body.len(), ID_LEN);
    body.extend(encode(&Op::Deliver { to, msg })?);
    Ok(body)
}

/// Valid encodings of every envelope variant, naming `task` and
/// `channel` (local handles, or proxies to cover the proxy path) and
/// carrying `msgs` (which must be of registered types).
#[derive(Debug, Default)]
pub struct Samples {
    /// `Post` bodies.
    pub posts: Vec<Vec<u8>>,
    /// `Op` bodies (without the request id).
    pub ops: Vec<Vec<u8>>,
    /// `Answer` bodies (without the request id).
    pub answers: Vec<Vec<u8>>,
    /// `Msg` bodies.
    pub msgs: Vec<Vec<u8>>,
}

/// Encodes [`Samples`]; values that do not encode are left out.
pub fn samples(task: &Task, channel: &Channel, msgs: &[Msg]) -> Samples {
    let mut out = Samples::default();
    let mut add = |list: fn(&mut Samples) -> &mut Vec<Vec<u8>>, bytes: Result<Vec<u8>, _>| {
        if let Ok(bytes) = bytes {
            list(&mut out).push(bytes);
        }
    };
    let (to, ch) = (task.id(), channel.id());
    for msg in msgs {
        let msg = || msg.clone();
        add(|s| &mut s.msgs, encode(&msg()));
        for post in [
            Post::Send { to, msg: msg() },
            Post::ChannelSend { to: ch, msg: msg() },
            Post::Resume { to, msg: msg() },
        ] {
            add(|s| &mut s.posts, encode(&post));
        }
        for op in [
            Op::Deliver { to, msg: msg() },
            Op::ChannelDeliver {
                to: ch,
                msg: msg(),
                n: 3,
                timeout_ms: Some(250),
            },
        ] {
            add(|s| &mut s.ops, encode(&op));
        }
        add(|s| &mut s.answers, encode(&Answer::Ended(Ok(msg()))));
    }
    for post in [
        Post::Throw {
            to,
            text: "thrown".into(),
        },
        Post::Terminate { to },
    ] {
        add(|s| &mut s.posts, encode(&post));
    }
    for op in [
        Op::LocateTask {
            name: task.name().into(),
        },
        Op::LocateChannel {
            name: channel.name().into(),
        },
        Op::Watch { task: to },
        Op::Subscribe {
            to: ch,
            subscriber: Subscriber::Task(task.clone()),
        },
        Op::Unsubscribe {
            to: ch,
            subscriber: Subscriber::Channel(channel.clone()),
        },
    ] {
        add(|s| &mut s.ops, encode(&op));
    }
    for answer in [
        Answer::Delivered,
        Answer::NoTask,
        Answer::FoundTask(Some(task.clone())),
        Answer::FoundTask(None),
        Answer::FoundChannel(Some(channel.clone())),
        Answer::Ended(Err(TaskError::Unreachable("gone".into()))),
        Answer::Reached(7),
        Answer::Done,
        Answer::NoChannel,
        Answer::Cycle {
            channel: "a".into(),
            subscriber: "b".into(),
        },
        Answer::NotSubscribed,
        Answer::Closed("c".into()),
        Answer::Failed("why".into()),
    ] {
        add(|s| &mut s.answers, encode(&answer));
    }
    out
}
