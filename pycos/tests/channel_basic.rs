//! Channels: names, subscription, send order, shared payloads, ended
//! subscribers, close, register and locate, and a channel outliving its
//! handles.

use pycos::channel::{ChannelError, SubscribeError, UnsubscribeError};
use pycos::prelude::*;

/// Collects `u32` messages until a `None::<u32>`.
#[task]
fn collect(task: TaskCtx) -> Vec<u32> {
    let mut got = Vec::new();
    loop {
        let msg = task.receive().await;
        match msg.downcast_ref::<Option<u32>>() {
            Some(Some(n)) => got.push(*n),
            _ => return got,
        }
    }
}

/// Everything already in the mailbox, without waiting.
async fn drain(task: &TaskCtx) -> Vec<Msg> {
    let mut msgs = Vec::new();
    while let Some(msg) = task.receive().timeout(0.0).await {
        msgs.push(msg);
    }
    msgs
}

#[pycos::test]
async fn every_subscriber_gets_every_message_in_send_order() {
    let channel = Channel::new("numbers").unwrap();
    let collectors: Vec<_> = (0..3).map(|_| Task::new(collect())).collect();
    for c in &collectors {
        channel.subscribe(c).await.unwrap();
    }
    for n in 0..50_u32 {
        channel.send(Some(n)).unwrap();
    }
    channel.send(None::<u32>).unwrap();
    for c in collectors {
        assert_eq!(c.finish().await.unwrap(), (0..50).collect::<Vec<_>>());
    }
}

#[pycos::test]
async fn subscribing_twice_delivers_once(task: TaskCtx) {
    let channel = Channel::new("once").unwrap();
    channel.subscribe(&task).await.unwrap();
    channel.subscribe(&task).await.unwrap();
    assert_eq!(channel.subscriber_count(), 1);
    channel.send("hi").unwrap();
    assert_eq!(drain(&task).await.len(), 1);
}

#[pycos::test]
async fn unsubscribe_stops_delivery_and_reports_strangers(task: TaskCtx) {
    let channel = Channel::new("leave").unwrap();
    channel.subscribe(&task).await.unwrap();
    channel.send(1_u32).unwrap();
    channel.unsubscribe(&task).await.unwrap();
    channel.send(2_u32).unwrap();
    let got = drain(&task).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].downcast_ref::<u32>(), Some(&1));
    assert_eq!(
        channel.unsubscribe(&task).await,
        Err(UnsubscribeError::NotSubscribed)
    );
}

#[pycos::test]
async fn a_broadcast_shares_one_payload(task: TaskCtx) {
    let channel = Channel::new("shared").unwrap();
    let other = Task::new(collect());
    channel.subscribe(&task).await.unwrap();
    channel.subscribe(&other).await.unwrap();
    channel.subscribe(&task.handle()).await.unwrap(); // the same task again
    let payload = Msg::new(vec![0_u8; 1 << 20]);
    channel.send(payload.clone()).unwrap();
    let got = task.receive().await;
    assert!(
        got.ptr_eq(&payload),
        "the subscriber got the sender's payload, not a copy"
    );
    other.terminate().unwrap();
}

#[pycos::test]
async fn ended_subscribers_are_unsubscribed_by_send(task: TaskCtx) {
    let channel = Channel::new("gone").unwrap();
    let ended = Task::new(collect());
    channel.subscribe(&ended).await.unwrap();
    channel.subscribe(&task).await.unwrap();
    ended.send(None::<u32>).unwrap();
    ended.finish().await.unwrap();
    assert_eq!(channel.subscriber_count(), 2);
    channel.send("after").unwrap();
    assert_eq!(channel.subscribers(), vec![Subscriber::from(&task)]);
    assert_eq!(drain(&task).await.len(), 1, "live subscribers still got it");
}

#[pycos::test]
async fn names_are_unique_per_scheduler_until_closed() {
    let first = Channel::new("unique").unwrap();
    assert_eq!(
        Channel::new("unique").unwrap_err(),
        ChannelError::Duplicate("unique".to_owned())
    );
    first.close();
    let second = Channel::new("unique").expect("close frees the name");
    assert_ne!(first, second);
    drop(second);
    assert_eq!(
        Channel::new("unique").unwrap_err(),
        ChannelError::Duplicate("unique".to_owned()),
        "dropping the handles does not close the channel"
    );
}

#[pycos::test]
async fn names_start_alphanumeric() {
    let channel = Channel::new("__news").unwrap();
    assert_eq!(
        channel.name(),
        "news",
        "leading symbols are removed, as in pycos"
    );
    assert_eq!(
        Channel::new("_-_").unwrap_err(),
        ChannelError::InvalidName("_-_".to_owned())
    );
    assert_eq!(
        Channel::new("_news").unwrap_err(),
        ChannelError::Duplicate("news".to_owned())
    );
}

#[task]
fn make_channel(name: String) -> Option<Channel> {
    Channel::new(&name).ok()
}

#[test]
fn each_scheduler_has_its_own_names() {
    let (one, two) = (Pycos::new(), Pycos::new());
    let kept = one
        .spawn(make_channel("everywhere".to_owned()))
        .value()
        .unwrap();
    assert!(kept.is_some());
    let again = one
        .spawn(make_channel("everywhere".to_owned()))
        .value()
        .unwrap();
    assert!(again.is_none(), "taken on the first scheduler");
    let elsewhere = two
        .spawn(make_channel("everywhere".to_owned()))
        .value()
        .unwrap();
    assert!(elsewhere.is_some(), "free on the second");
    one.finish().unwrap();
    two.finish().unwrap();
}

#[pycos::test]
async fn locate_finds_live_channels_and_register_is_tracked() {
    let channel = Channel::new("findme").unwrap();
    assert_eq!(Channel::locate("findme").await, Some(channel.clone()));
    assert_eq!(Channel::locate("nowhere").await, None);
    assert!(!channel.is_registered());
    channel.register().unwrap();
    assert_eq!(
        channel.register(),
        Err(ChannelError::AlreadyRegistered("findme".to_owned()))
    );
    channel.unregister().unwrap();
    assert_eq!(
        channel.unregister(),
        Err(ChannelError::NotRegistered("findme".to_owned()))
    );
    channel.close();
    assert_eq!(Channel::locate("findme").await, None);
}

#[pycos::test]
async fn a_closed_channel_refuses_sends_and_subscriptions(task: TaskCtx) {
    let channel = Channel::new("closing").unwrap();
    channel.subscribe(&task).await.unwrap();
    channel.close();
    channel.close(); // closing twice is harmless
    assert!(channel.is_closed());
    assert_eq!(channel.subscriber_count(), 0);
    let err = channel.send(7_u32).unwrap_err();
    assert_eq!(
        err.into_inner().downcast_ref::<u32>(),
        Some(&7),
        "the message is handed back"
    );
    assert!(channel.deliver(8_u32, 0, None).await.is_err());
    assert_eq!(
        channel.subscribe(&task).await,
        Err(SubscribeError::Closed("closing".to_owned()))
    );
    assert_eq!(
        channel.register(),
        Err(ChannelError::Closed("closing".to_owned()))
    );
    assert!(drain(&task).await.is_empty());
}

#[pycos::test]
async fn threads_can_send_to_a_channel(task: TaskCtx) {
    let channel = Channel::new("from-threads").unwrap();
    channel.subscribe(&task).await.unwrap();
    let sender = channel.clone();
    std::thread::spawn(move || {
        for n in 0..3_u32 {
            sender.send(n).unwrap();
        }
    })
    .join()
    .unwrap();
    let mut got = Vec::new();
    for _ in 0..3 {
        let msg = task
            .receive()
            .timeout(10.0)
            .await
            .expect("a message within 10 s");
        got.push(*msg.downcast_ref::<u32>().unwrap());
    }
    assert_eq!(got, vec![0, 1, 2]);
}

#[pycos::test]
async fn a_channel_without_handles_stays_locatable_until_closed(task: TaskCtx) {
    let channel = Channel::new("kept").unwrap();
    channel.register().unwrap();
    channel.subscribe(&task).await.unwrap();
    drop(channel);
    let found = Channel::locate("kept")
        .await
        .expect("the table keeps the channel after its last handle");
    assert!(found.is_registered());
    found.send("still here").unwrap();
    let msg = task
        .receive()
        .timeout(100.0)
        .await
        .expect("the send arrived");
    assert_eq!(msg.downcast_ref::<&str>(), Some(&"still here"));
    found.close();
    drop(found);
    assert_eq!(Channel::locate("kept").await, None, "closed: gone");
    Channel::new("kept").expect("the name is free after close");
}

/// Makes a channel whose transform holds `held`, and drops its handle.
#[task]
fn leave_a_channel(held: std::sync::Arc<()>) {
    let channel = Channel::with_transform("unclosed", move |_, msg| {
        let _ = &held;
        Some(msg)
    })
    .unwrap();
    drop(channel);
    assert!(Channel::locate("unclosed").await.is_some());
}

#[test]
fn a_finished_scheduler_lets_go_of_its_unclosed_channels() {
    let sched = Pycos::new();
    let marker = std::sync::Arc::new(());
    sched
        .spawn(leave_a_channel(marker.clone()))
        .value()
        .unwrap();
    assert_eq!(
        std::sync::Arc::strong_count(&marker),
        2,
        "kept until closed"
    );
    sched.finish().unwrap();
    assert_eq!(
        std::sync::Arc::strong_count(&marker),
        1,
        "the scheduler released its channel table when it stopped"
    );
}
