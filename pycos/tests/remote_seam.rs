//! The seam the network layer plugs into, proven with a test double: two
//! schedulers in this process play two nodes, and a fake hook carries
//! every operation on a proxy to the other "node" by calling its local
//! handles. Each hook records the operations it served, so the tests show
//! that remote targets go through the one dispatch point and local ones
//! never do. Both "nodes" share this process's incarnation, so the fake
//! gives each its own on the wire (as a real peer has): references it hands
//! out carry the node's fake incarnation, and it maps them back to the real
//! ids when it serves an operation.

#[path = "support/bounded.rs"]
mod bounded;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use pycos::channel::{SendError as ChannelSendError, SubscribeError, UnsubscribeError};
use pycos::prelude::*;
use pycos::remote::{self, Hook, HookFuture, RemoteChannel, RemoteTask};
use pycos::{NotAlive, SendError, Subscriber, ThrowError, ThrownError};

use bounded::within;

/// The "network": node names to schedulers.
#[derive(Default)]
struct FakeNet {
    nodes: Mutex<HashMap<String, Pycos>>,
}

/// The incarnation node `location` shows its peers.
fn fake_incarnation(location: &str) -> u64 {
    match location {
        "a" => 0xaaaa_aaaa,
        _ => 0xbbbb_bbbb,
    }
}

/// The id of this process that a node's reference stands for.
fn real_id(id: pycos::TaskId) -> pycos::TaskId {
    pycos::TaskId::from_parts(local_incarnation(), id.serial())
}

fn real_channel_id(id: pycos::ChannelId) -> pycos::ChannelId {
    pycos::ChannelId::from_parts(local_incarnation(), id.serial())
}

/// This process's incarnation (read off a channel id, which needs no task).
fn local_incarnation() -> u64 {
    static LOCAL: OnceLock<u64> = OnceLock::new();
    *LOCAL.get_or_init(|| {
        let probe = Pycos::new();
        let id = probe
            .spawn(TaskSpec::new(
                "probe",
                (),
                |(), task| async move { task.id() },
            ))
            .value()
            .unwrap();
        probe.finish().unwrap();
        id.incarnation()
    })
}

impl FakeNet {
    fn node(&self, location: &str) -> Option<Pycos> {
        self.nodes.lock().unwrap().get(location).cloned()
    }
}

/// One node's hook: reaches the other nodes' tasks through their handles.
struct FakeHook {
    me: String,
    net: Arc<FakeNet>,
    served: Mutex<Vec<&'static str>>,
}

impl FakeHook {
    fn record(&self, op: &'static str) {
        self.served.lock().unwrap().push(op);
    }

    fn my_sched(&self) -> Pycos {
        self.net.node(&self.me).expect("this node is on the net")
    }

    /// The real task behind `to`, on its node.
    fn real(&self, to: &RemoteTask) -> Option<Task> {
        self.net.node(&to.location)?;
        remote::resolve(real_id(to.id))
    }

    fn real_channel(&self, to: &RemoteChannel) -> Option<Channel> {
        remote::resolve_channel(&self.net.node(&to.location)?, real_channel_id(to.id))
    }

    /// How `subscriber` (of this node) looks from the node `at`.
    fn seen_from(&self, at: &Pycos, subscriber: Subscriber) -> Subscriber {
        match subscriber {
            Subscriber::Task(task) if !remote::is_remote(&task) => {
                let reference = reference(&self.me, &task);
                Subscriber::Task(Task::from_remote(at, reference).unwrap())
            }
            other => other,
        }
    }
}

/// The reference a node hands out for its task `task`.
fn reference<R>(location: &str, task: &Task<R>) -> RemoteTask {
    remote::export(task);
    let id = pycos::TaskId::from_parts(fake_incarnation(location), task.id().serial());
    RemoteTask {
        location: location.into(),
        id,
        name: task.name().into(),
    }
}

/// The reference a node hands out for its channel.
fn channel_reference(location: &str, channel: &Channel) -> RemoteChannel {
    RemoteChannel {
        location: location.into(),
        id: pycos::ChannelId::from_parts(fake_incarnation(location), channel.id().serial()),
        name: channel.name().into(),
    }
}

#[task]
fn report_end(real: Task, proxy: Task) {
    remote::ended(&proxy, real.finish().await);
}

impl Hook for FakeHook {
    fn send(&self, to: &RemoteTask, msg: Msg) -> Result<(), SendError> {
        self.record("send");
        match self.real(to) {
            Some(task) => task.send(msg),
            None => Err(SendError::refused(msg, format!("no task {to} here"))),
        }
    }

    fn deliver(
        &self,
        to: &RemoteTask,
        msg: Msg,
        _timeout: Option<Duration>,
    ) -> HookFuture<Result<(), SendError>> {
        self.record("deliver");
        let result = match self.real(to) {
            Some(task) => task.send(msg),
            None => Err(SendError::refused(msg, format!("no task {to} here"))),
        };
        Box::pin(std::future::ready(result))
    }

    fn resume(&self, to: &RemoteTask, update: Msg) -> Result<(), NotAlive> {
        self.record("resume");
        self.real(to).ok_or(NotAlive)?.resume(update)
    }

    fn throw(&self, to: &RemoteTask, err: ThrownError) -> Result<(), ThrowError> {
        self.record("throw");
        match self.real(to) {
            Some(task) => task.throw(err.to_string()),
            None => Err(ThrowError::refused(err, "no such task")),
        }
    }

    fn terminate(&self, to: &RemoteTask) -> Result<(), NotAlive> {
        self.record("terminate");
        self.real(to).ok_or(NotAlive)?.terminate()
    }

    fn hot_swap(
        &self,
        _to: &RemoteTask,
        _name: &str,
        _args: &(dyn std::any::Any + Send),
    ) -> Result<(), NotAlive> {
        self.record("hot_swap");
        Err(NotAlive)
    }

    fn watch(&self, proxy: &Task) {
        self.record("watch");
        let to = proxy.remote_ref().expect("a proxy");
        match (self.real(&to), self.net.node(&to.location)) {
            (Some(real), Some(node)) => {
                node.spawn(report_end(real, proxy.clone()));
            }
            _ => remote::ended(proxy, Err(TaskError::Unreachable(to.to_string()))),
        }
    }

    fn locate_task(&self, name: &str) -> HookFuture<Option<Task>> {
        self.record("locate_task");
        let mine = self.my_sched();
        let found = self
            .net
            .nodes
            .lock()
            .unwrap()
            .iter()
            .filter(|(location, _)| **location != self.me)
            .find_map(|(location, node)| Some((location.clone(), node.locate(name)?)));
        let task = found.and_then(|(location, task)| {
            Task::from_remote(&mine, reference(&location, &task)).ok()
        });
        Box::pin(std::future::ready(task))
    }

    fn channel_send(&self, to: &RemoteChannel, msg: Msg) -> Result<(), ChannelSendError> {
        self.record("channel_send");
        match self.real_channel(to) {
            Some(channel) => channel.send(msg),
            None => Err(ChannelSendError::refused(msg, "no such channel")),
        }
    }

    fn channel_deliver(
        &self,
        to: &RemoteChannel,
        msg: Msg,
        _n: usize,
        _timeout: Option<Duration>,
    ) -> HookFuture<Result<usize, ChannelSendError>> {
        self.record("channel_deliver");
        let result = match self.real_channel(to) {
            Some(channel) => channel.send(msg).map(|()| channel.subscriber_count()),
            None => Err(ChannelSendError::refused(msg, "no such channel")),
        };
        Box::pin(std::future::ready(result))
    }

    fn channel_subscribe(
        &self,
        to: &RemoteChannel,
        subscriber: Subscriber,
    ) -> HookFuture<Result<(), SubscribeError>> {
        self.record("channel_subscribe");
        let node = self.net.node(&to.location).expect("a known node");
        let channel = self.real_channel(to).expect("an open channel");
        let subscriber = self.seen_from(&node, subscriber);
        Box::pin(async move { channel.subscribe(subscriber).await })
    }

    fn channel_unsubscribe(
        &self,
        to: &RemoteChannel,
        subscriber: Subscriber,
    ) -> HookFuture<Result<(), UnsubscribeError>> {
        self.record("channel_unsubscribe");
        let node = self.net.node(&to.location).expect("a known node");
        let channel = self.real_channel(to).expect("an open channel");
        let subscriber = self.seen_from(&node, subscriber);
        Box::pin(async move { channel.unsubscribe(subscriber).await })
    }

    fn locate_channel(&self, name: &str) -> HookFuture<Option<Channel>> {
        self.record("locate_channel");
        let _ = name;
        Box::pin(std::future::ready(None))
    }
}

/// Two nodes, "a" and "b", each with its fake hook.
struct Cluster {
    a: Pycos,
    b: Pycos,
    hook_a: Arc<FakeHook>,
    hook_b: Arc<FakeHook>,
}

impl Cluster {
    fn new() -> Cluster {
        let net = Arc::new(FakeNet::default());
        let (a, b) = (Pycos::new(), Pycos::new());
        net.nodes.lock().unwrap().insert("a".into(), a.clone());
        net.nodes.lock().unwrap().insert("b".into(), b.clone());
        let hook = |me: &str| {
            Arc::new(FakeHook {
                me: me.into(),
                net: net.clone(),
                served: Mutex::default(),
            })
        };
        let (hook_a, hook_b) = (hook("a"), hook("b"));
        remote::install(&a, hook_a.clone()).unwrap();
        remote::install(&b, hook_b.clone()).unwrap();
        assert!(
            remote::install(&a, hook_a.clone()).is_err(),
            "one hook per scheduler"
        );
        Cluster {
            a,
            b,
            hook_a,
            hook_b,
        }
    }

    fn served_by_b(&self) -> Vec<&'static str> {
        self.hook_b.served.lock().unwrap().clone()
    }

    fn finish(self) {
        self.a.terminate().unwrap();
        self.b.terminate().unwrap();
    }
}

#[task]
fn echo_twice(task: TaskCtx) -> u32 {
    let mut sum = 0;
    for _ in 0..2 {
        let msg = task.receive().await;
        sum += *msg.downcast_ref::<u32>().unwrap();
    }
    sum
}

#[task]
fn sleeper(task: TaskCtx) {
    task.sleep(3600.0).await;
}

const LIMIT: Duration = Duration::from_secs(20);

/// Waits (bounded) until `done` holds.
fn wait_for(done: impl Fn() -> bool, what: &str) {
    for _ in 0..20_000 {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("{what} did not happen within 20 s");
}

#[test]
fn a_proxy_sends_delivers_and_learns_the_end_through_the_hook() {
    let cluster = Cluster::new();
    let real = cluster.a.spawn(echo_twice());
    let proxy = Task::from_remote(&cluster.b, reference("a", &real)).unwrap();
    assert!(remote::is_remote(&proxy));
    assert!(proxy.scheduler().is_none());
    assert_eq!(proxy.id().serial(), real.id().serial());
    assert_ne!(proxy.id(), real.id(), "the proxy has node a's id");
    assert_eq!(proxy.name(), "echo_twice");
    assert_eq!(proxy.to_string(), format!("echo_twice/{}@a", real.id()));
    // Clone, compare, hash, and put in a message like any handle.
    let again = proxy.clone();
    assert_eq!(again, proxy);
    let set: std::collections::HashSet<Task> = [proxy.clone(), again].into();
    assert_eq!(set.len(), 1);

    // The proxy's value comes back through `watch` and `ended`: ask first,
    // so the end cannot come before the watch.
    let value: Task<u32> =
        cluster
            .b
            .spawn(TaskSpec::new("waiter", proxy.clone(), |p, _t| async move {
                *p.finish().await.unwrap().downcast_ref::<u32>().unwrap()
            }));
    wait_for(|| cluster.served_by_b().contains(&"watch"), "the watch");
    proxy.send(20_u32).unwrap();
    let deliver = {
        let proxy = proxy.clone();
        cluster.b.spawn(TaskSpec::new(
            "deliverer",
            proxy,
            |proxy, _task| async move { proxy.deliver(22_u32).await.is_ok() },
        ))
    };
    assert!(deliver.value_timeout(LIMIT).unwrap());
    assert_eq!(value.value_timeout(LIMIT).unwrap(), 42);
    assert!(!proxy.is_alive());
    assert_eq!(cluster.served_by_b(), ["watch", "send", "deliver"]);
    assert!(
        cluster.hook_a.served.lock().unwrap().is_empty(),
        "local sends used a hook"
    );
    cluster.finish();
}

#[task]
fn watch_remote(target: Task, task: TaskCtx) -> bool {
    task.monitor(&target).await.unwrap();
    target.terminate().unwrap();
    let msg = within("the monitor status", task.receive()).await;
    let status = msg.downcast_ref::<MonitorStatus>().unwrap();
    status.task == target && matches!(status.result, Err(TaskError::Terminated))
}

#[test]
fn terminate_and_monitor_of_a_remote_task_go_through_the_hook() {
    let cluster = Cluster::new();
    let real = cluster.a.spawn(sleeper());
    let proxy = Task::from_remote(&cluster.b, reference("a", &real)).unwrap();
    let watcher = cluster.b.spawn(watch_remote(proxy));
    assert!(watcher.value_timeout(LIMIT).unwrap());
    assert!(matches!(
        real.value_timeout(LIMIT),
        Err(pycos::ValueError::Task(TaskError::Terminated))
    ));
    assert_eq!(cluster.served_by_b(), ["watch", "terminate"]);
    cluster.finish();
}

#[task]
fn registered_worker(task: TaskCtx) -> u32 {
    task.register("worker").unwrap();
    let msg = task.receive().await;
    *msg.downcast_ref::<u32>().unwrap()
}

#[task]
fn find_and_send(task: TaskCtx) -> bool {
    let _ = task;
    match Task::locate("worker").await {
        Some(worker) => remote::is_remote(&worker) && worker.send(7_u32).is_ok(),
        None => false,
    }
}

#[test]
fn locate_asks_the_hook_after_the_local_registry() {
    let cluster = Cluster::new();
    let worker = cluster.a.spawn(registered_worker());
    wait_for(|| cluster.a.locate("worker").is_some(), "the registration");
    assert!(
        cluster
            .b
            .spawn(find_and_send())
            .value_timeout(LIMIT)
            .unwrap()
    );
    assert_eq!(worker.value_timeout(LIMIT).unwrap(), 7);
    assert_eq!(cluster.served_by_b(), ["locate_task", "send"]);
    // Found locally, the hook is not asked.
    let local = cluster
        .a
        .spawn(TaskSpec::new("local_find", (), |(), _t| async move {
            Task::locate("nobody").await.is_none()
        }));
    assert!(local.value_timeout(LIMIT).unwrap());
    cluster.finish();
}

#[test]
fn unknown_ids_give_clear_errors_and_handles_come_back_as_themselves() {
    let cluster = Cluster::new();
    let real = cluster.a.spawn(sleeper());
    // A reference to our own task (our incarnation) resolves to the task
    // itself, on any of our schedulers.
    remote::export(&real);
    let ours = RemoteTask {
        location: "a".into(),
        id: real.id(),
        name: real.name().into(),
    };
    let back = Task::from_remote(&cluster.b, ours).unwrap();
    assert!(!remote::is_remote(&back));
    assert_eq!(back, real);
    back.send(1_u8).unwrap();
    assert!(cluster.hook_a.served.lock().unwrap().is_empty());
    assert!(cluster.hook_b.served.lock().unwrap().is_empty());
    // An id of ours that is not exported (a task that ended since it was
    // sent, or one never sent) cannot reach the task: the handle is that
    // of an ended task, and a send through it fails as ended.
    let other = cluster.a.spawn(sleeper());
    let unexported = RemoteTask {
        location: "a".into(),
        id: other.id(),
        name: "sleeper".into(),
    };
    let dead = Task::from_remote(&cluster.a, unexported).unwrap();
    assert!(!dead.is_alive());
    assert!(dead.send(2_u8).unwrap_err().is_ended());
    assert!(other.is_alive());
    // An id of ours that was never given out is unknown.
    let never = RemoteTask {
        location: "a".into(),
        id: pycos::TaskId::from_parts(remote::incarnation(), u64::MAX),
        name: "forged".into(),
    };
    let err = Task::from_remote(&cluster.a, never).unwrap_err();
    assert!(err.to_string().contains("no task with id"), "{err}");
    // A proxy whose task the other node does not know: the send is refused
    // with the message handed back.
    let stale = RemoteTask {
        location: "a".into(),
        id: pycos::TaskId::from_parts(fake_incarnation("a"), u64::MAX),
        name: "gone".into(),
    };
    let proxy = Task::from_remote(&cluster.b, stale).unwrap();
    let err = proxy.send(5_u32).unwrap_err();
    assert!(err.is_refused(), "{err}");
    assert_eq!(err.into_inner().downcast_ref::<u32>(), Some(&5));
    cluster.finish();
}

#[task]
fn subscribe_remotely(news: Channel, task: TaskCtx) -> String {
    news.subscribe(&task).await.unwrap();
    news.send("extra").unwrap();
    let msg = within("the broadcast", task.receive()).await;
    news.unsubscribe(&task).await.unwrap();
    msg.downcast_ref::<&str>().unwrap().to_string()
}

#[test]
fn a_remote_channel_subscribes_and_sends_through_the_hook() {
    let cluster = Cluster::new();
    let news = cluster
        .a
        .spawn(TaskSpec::new("make", (), |(), _t| async move {
            Channel::new("news").unwrap()
        }))
        .value_timeout(LIMIT)
        .unwrap();
    let reference = channel_reference("a", &news);
    let proxy = Channel::from_remote(&cluster.b, reference.clone()).unwrap();
    assert_eq!(
        proxy,
        Channel::from_remote(&cluster.b, reference).unwrap(),
        "proxies compare by id"
    );
    assert_ne!(proxy, news, "the proxy has node a's id");
    assert!(
        proxy.register().unwrap_err().is_closed() && !proxy.is_registered(),
        "registering is for the channel's own node: a proxy is in no registry"
    );
    let got = cluster
        .b
        .spawn(subscribe_remotely(proxy))
        .value_timeout(LIMIT)
        .unwrap();
    assert_eq!(got, "extra");
    assert_eq!(
        cluster.served_by_b(),
        ["channel_subscribe", "channel_send", "channel_unsubscribe"]
    );
    // On node a the subscriber is a proxy of b's task: the broadcast
    // reached it through a's hook.
    assert_eq!(*cluster.hook_a.served.lock().unwrap(), ["send"]);
    assert_eq!(news.subscriber_count(), 0);
    // A reference to our own channel is the channel itself.
    let ours = RemoteChannel {
        location: "a".into(),
        id: news.id(),
        name: news.name().into(),
    };
    let back = Channel::from_remote(&cluster.a, ours).unwrap();
    assert!(back.remote_ref().is_none());
    assert_eq!(back, news);
    cluster.finish();
}
