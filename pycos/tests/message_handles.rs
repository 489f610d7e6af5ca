//! Handles across a codec: a local task or channel that goes out and
//! comes back is the original; a proxy keeps its location; a reference to
//! "the sender's node" gets the sender's location; without a wire context
//! nothing decodes.

use std::sync::Arc;
use std::time::Duration;

use pycos::channel::{SendError as ChannelSendError, SubscribeError, UnsubscribeError};
use pycos::message::{WireContext, with_wire_context};
use pycos::prelude::*;
use pycos::remote::{self, Hook, HookFuture, RemoteChannel, RemoteTask};
use pycos::{ChannelId, NotAlive, SendError, Subscriber, TaskId, ThrowError, ThrownError};
use serde::Serialize;

/// A hook that is only installed: these tests make proxies, never use them.
struct Inert;

impl Hook for Inert {
    fn send(&self, _: &RemoteTask, msg: Msg) -> Result<(), SendError> {
        Err(SendError::refused(msg, "inert"))
    }
    fn deliver(
        &self,
        _: &RemoteTask,
        msg: Msg,
        _: Option<Duration>,
    ) -> HookFuture<Result<(), SendError>> {
        Box::pin(std::future::ready(Err(SendError::refused(msg, "inert"))))
    }
    fn resume(&self, _: &RemoteTask, _: Msg) -> Result<(), NotAlive> {
        Err(NotAlive)
    }
    fn throw(&self, _: &RemoteTask, err: ThrownError) -> Result<(), ThrowError> {
        Err(ThrowError::refused(err, "inert"))
    }
    fn terminate(&self, _: &RemoteTask) -> Result<(), NotAlive> {
        Err(NotAlive)
    }
    fn hot_swap(
        &self,
        _: &RemoteTask,
        _: &str,
        _: &(dyn std::any::Any + Send),
    ) -> Result<(), NotAlive> {
        Err(NotAlive)
    }
    fn watch(&self, _: &Task) {}
    fn locate_task(&self, _: &str) -> HookFuture<Option<Task>> {
        Box::pin(std::future::ready(None))
    }
    fn channel_send(&self, _: &RemoteChannel, msg: Msg) -> Result<(), ChannelSendError> {
        Err(ChannelSendError::refused(msg, "inert"))
    }
    fn channel_deliver(
        &self,
        _: &RemoteChannel,
        msg: Msg,
        _: usize,
        _: Option<Duration>,
    ) -> HookFuture<Result<usize, ChannelSendError>> {
        Box::pin(std::future::ready(Err(ChannelSendError::refused(
            msg, "inert",
        ))))
    }
    fn channel_subscribe(
        &self,
        _: &RemoteChannel,
        _: Subscriber,
    ) -> HookFuture<Result<(), SubscribeError>> {
        Box::pin(std::future::pending())
    }
    fn channel_unsubscribe(
        &self,
        _: &RemoteChannel,
        _: Subscriber,
    ) -> HookFuture<Result<(), UnsubscribeError>> {
        Box::pin(std::future::pending())
    }
    fn locate_channel(&self, _: &str) -> HookFuture<Option<Channel>> {
        Box::pin(std::future::ready(None))
    }
}

/// A scheduler with a hook, and a wire context for messages from `peer`.
fn node(peer: &str) -> WireContext {
    let sched = Pycos::new();
    remote::install(&sched, Arc::new(Inert)).unwrap();
    WireContext {
        sched,
        peer: peer.into(),
    }
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("encodes")
}

fn decode<T: serde::de::DeserializeOwned>(ctx: &WireContext, bytes: &[u8]) -> T {
    with_wire_context(ctx, || postcard::from_bytes(bytes)).expect("decodes")
}

#[task]
fn receiver(task: TaskCtx) -> u32 {
    *task.receive().await.downcast_ref::<u32>().unwrap_or(&0)
}

/// A foreign node's task, as a proxy on `ctx`'s scheduler.
fn far_task(ctx: &WireContext) -> (Task, RemoteTask) {
    let target = RemoteTask {
        location: "10.9.9.9:9705".into(),
        id: TaskId::from_parts(0x1234_5678, 42),
        name: "far".into(),
    };
    (
        Task::from_remote(&ctx.sched, target.clone()).unwrap(),
        target,
    )
}

#[test]
fn a_local_task_that_comes_home_is_the_same_task() {
    let ctx = node("10.0.0.2:9705");
    let task = ctx.sched.spawn(receiver());
    let bytes = encode(&task.untyped());
    let back: Task = decode(&ctx, &bytes);
    assert_eq!(back, task.untyped());
    assert!(!remote::is_remote(&back));
    back.send(7_u32).unwrap();
    assert_eq!(task.value().unwrap(), 7);
    ctx.sched.finish().unwrap();
}

#[test]
fn a_task_inside_a_msg_comes_home() {
    let ctx = node("10.0.0.2:9705");
    let task = ctx.sched.spawn(receiver());
    let bytes = encode(&Msg::new(task.untyped()));
    let back: Msg = decode(&ctx, &bytes);
    let back = back.downcast_ref::<Task>().expect("a Task");
    back.send(9_u32).unwrap();
    assert_eq!(task.value().unwrap(), 9);
    ctx.sched.finish().unwrap();
}

#[test]
fn a_typed_handle_encodes_as_the_untyped_one() {
    let ctx = node("10.0.0.2:9705");
    let task = ctx.sched.spawn(receiver());
    assert_eq!(encode(&task), encode(&task.untyped()));
    task.send(1_u32).unwrap();
    task.value().unwrap();
    ctx.sched.finish().unwrap();
}

#[test]
fn a_proxy_keeps_its_location() {
    let ctx = node("10.0.0.2:9705");
    let (proxy, target) = far_task(&ctx);
    let back: Task = decode(&ctx, &encode(&proxy));
    assert!(remote::is_remote(&back));
    assert_eq!(back.remote_ref(), Some(target));
    assert_eq!(back, proxy);
    assert_eq!(back.name(), "far");
    ctx.sched.terminate().unwrap();
}

#[test]
fn a_reference_to_the_sender_gets_the_sender_s_location() {
    let ctx = node("10.0.0.2:9705");
    // What the sender writes for its own task: no location.
    #[derive(Serialize)]
    struct Handle<'a> {
        location: Option<&'a str>,
        id: TaskId,
        name: &'a str,
    }
    let id = TaskId::from_parts(0xfeed, 3);
    let bytes = encode(&Handle {
        location: None,
        id,
        name: "theirs",
    });
    let back: Task = decode(&ctx, &bytes);
    let target = back.remote_ref().expect("a proxy");
    assert_eq!(&*target.location, "10.0.0.2:9705");
    assert_eq!((target.id, &*target.name), (id, "theirs"));
    ctx.sched.terminate().unwrap();
}

#[test]
fn an_ended_local_task_that_comes_home_is_an_ended_handle() {
    let ctx = node("10.0.0.2:9705");
    let task = ctx.sched.spawn(receiver());
    // Sent out (exported), then it ends (unexported) before its handle
    // comes back inside a message: the message still decodes.
    let bytes = encode(&Msg::new(task.untyped()));
    task.send(3_u32).unwrap();
    assert_eq!(task.value().unwrap(), 3);
    let back: Msg = decode(&ctx, &bytes);
    let back = back.downcast_ref::<Task>().expect("a Task");
    assert_eq!(*back, task.untyped(), "the same id");
    assert_eq!(back.name(), "receiver");
    assert!(!back.is_alive());
    assert!(!remote::is_remote(back));
    let err = back.send(4_u32).unwrap_err();
    assert!(err.is_ended(), "{err:?}");
    ctx.sched.finish().unwrap();
}

#[test]
fn an_unknown_local_task_is_an_error() {
    let ctx = node("10.0.0.2:9705");
    // An id of this node that was never given out (a forged reference).
    let id = TaskId::from_parts(remote::incarnation(), u64::MAX);
    let bytes = encode(&(Some("10.0.0.1:9705"), id, "gone"));
    assert!(with_wire_context(&ctx, || postcard::from_bytes::<Task>(&bytes)).is_err());
    let json = serde_json::json!({"location": null, "id": [remote::incarnation(), u64::MAX], "name": "gone"});
    let err = with_wire_context(&ctx, || serde_json::from_value::<Task>(json)).unwrap_err();
    assert!(
        err.to_string()
            .contains("is not (or no longer) on this node"),
        "{err}"
    );
    ctx.sched.terminate().unwrap();
}

#[test]
fn without_a_context_handles_do_not_decode() {
    let ctx = node("10.0.0.2:9705");
    let (proxy, _) = far_task(&ctx);
    let bytes = encode(&proxy);
    assert!(postcard::from_bytes::<Task>(&bytes).is_err());
    let json = serde_json::to_string(&proxy).unwrap();
    let err = serde_json::from_str::<Task>(&json).unwrap_err();
    assert!(
        err.to_string()
            .contains("a Task can only be decoded by a pycos-net node")
    );
    let channel = Channel::new("no-context").unwrap();
    let json = serde_json::to_string(&channel).unwrap();
    assert!(serde_json::from_str::<Channel>(&json).is_err());
    channel.close();
    ctx.sched.terminate().unwrap();
}

#[test]
fn contexts_nest_and_are_restored_after_a_panic() {
    let outer = node("10.0.0.2:9705");
    let inner = node("10.0.0.3:9705");
    let (proxy, _) = far_task(&outer);
    let bytes = encode(&proxy);
    with_wire_context(&outer, || {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            with_wire_context(&inner, || panic!("in the inner decode"));
        }));
        assert!(caught.is_err());
        let back: Task = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.remote_ref(), proxy.remote_ref());
    });
    assert!(
        postcard::from_bytes::<Task>(&bytes).is_err(),
        "restored to none"
    );
    outer.sched.terminate().unwrap();
    inner.sched.terminate().unwrap();
}

#[task]
fn make_channel(name: String) -> Channel {
    Channel::new(&name).unwrap()
}

#[test]
fn a_local_channel_comes_home_and_a_proxy_keeps_its_location() {
    let ctx = node("10.0.0.2:9705");
    let channel = ctx
        .sched
        .spawn(make_channel("wire-home".into()))
        .value()
        .unwrap();
    let back: Channel = decode::<Msg>(&ctx, &encode(&Msg::new(channel.clone())))
        .downcast::<Channel>()
        .unwrap();
    assert_eq!(back, channel);
    assert!(back.remote_ref().is_none());

    let target = RemoteChannel {
        location: "10.9.9.9:9705".into(),
        id: ChannelId::from_parts(0x1234_5678, 5),
        name: "far-news".into(),
    };
    let proxy = Channel::from_remote(&ctx.sched, target.clone()).unwrap();
    let back: Channel = decode(&ctx, &encode(&proxy));
    assert_eq!(back.remote_ref(), Some(target));
    channel.close();
    ctx.sched.terminate().unwrap();
}

#[test]
fn monitor_statuses_and_subscribers_round_trip() {
    let ctx = node("10.0.0.2:9705");
    let (proxy, _) = far_task(&ctx);
    let failed = MonitorStatus {
        task: proxy.clone(),
        result: Err(TaskError::Panicked("boom".into())),
    };
    let back: Msg = decode(&ctx, &encode(&Msg::new(failed)));
    let back = back
        .downcast_ref::<MonitorStatus>()
        .expect("a MonitorStatus");
    assert_eq!(back.task, proxy);
    assert!(matches!(&back.result, Err(TaskError::Panicked(text)) if text == "boom"));

    let done = MonitorStatus {
        task: proxy.clone(),
        result: Ok(Msg::new(5_u32)),
    };
    let back: MonitorStatus = decode(&ctx, &encode(&done));
    assert_eq!(back.result.unwrap().downcast_ref::<u32>(), Some(&5));

    let subscriber = Subscriber::Task(proxy.clone());
    let back: Msg = decode(&ctx, &encode(&Msg::new(subscriber.clone())));
    assert_eq!(back.downcast_ref::<Subscriber>(), Some(&subscriber));
    ctx.sched.terminate().unwrap();
}

#[test]
fn a_status_with_an_unregistered_value_does_not_encode() {
    struct Opaque;
    let ctx = node("10.0.0.2:9705");
    let (proxy, _) = far_task(&ctx);
    let status = MonitorStatus {
        task: proxy,
        result: Ok(Msg::new(Opaque)),
    };
    let err = serde_json::to_string(&status).unwrap_err();
    assert!(err.to_string().contains("Opaque"), "{err}");
    ctx.sched.terminate().unwrap();
}
