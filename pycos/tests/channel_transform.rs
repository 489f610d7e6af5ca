//! Channel transforms: rewriting, dropping, panicking, replacing, and
//! transforms of channels down a hierarchy.

use pycos::prelude::*;

async fn drain_u32(task: &TaskCtx) -> Vec<u32> {
    let mut got = Vec::new();
    while let Some(msg) = task.receive().timeout(0.0).await {
        got.push(*msg.downcast_ref::<u32>().expect("u32 messages"));
    }
    got
}

fn times_ten(_name: &str, msg: Msg) -> Option<Msg> {
    msg.downcast_ref::<u32>().map(|n| Msg::new(n * 10))
}

#[pycos::test]
async fn the_transform_rewrites_messages_and_sees_the_name(task: TaskCtx) {
    let channel = Channel::with_transform("scaled", |name, msg| {
        assert_eq!(name, "scaled");
        times_ten(name, msg)
    })
    .unwrap();
    channel.subscribe(&task).await.unwrap();
    channel.send(1_u32).unwrap();
    assert_eq!(channel.deliver(2_u32, 0, None).await.unwrap(), 1);
    assert_eq!(drain_u32(&task).await, vec![10, 20]);
}

#[pycos::test]
async fn a_transform_returning_none_drops_the_message(task: TaskCtx) {
    let channel = Channel::with_transform("odd", |_, msg| {
        msg.downcast_ref::<u32>()
            .is_some_and(|n| n % 2 == 1)
            .then_some(msg)
    })
    .unwrap();
    channel.subscribe(&task).await.unwrap();
    for n in 1..=4_u32 {
        channel.send(n).unwrap();
    }
    assert_eq!(
        channel.deliver(6_u32, 0, None).await.unwrap(),
        0,
        "dropped: nobody got it"
    );
    assert_eq!(channel.deliver(7_u32, 1, None).await.unwrap(), 1);
    assert_eq!(drain_u32(&task).await, vec![1, 3, 7]);
}

#[pycos::test]
async fn a_panicking_transform_drops_the_message_and_the_channel_goes_on(task: TaskCtx) {
    let channel = Channel::with_transform("fragile", |_, msg| {
        assert!(msg.downcast_ref::<u32>() != Some(&13), "unlucky number");
        Some(msg)
    })
    .unwrap();
    channel.subscribe(&task).await.unwrap();
    for n in [12_u32, 13, 14] {
        channel.send(n).unwrap();
    }
    assert_eq!(channel.deliver(13_u32, 0, None).await.unwrap(), 0);
    assert_eq!(drain_u32(&task).await, vec![12, 14]);
}

#[pycos::test]
async fn set_and_clear_transform(task: TaskCtx) {
    let channel = Channel::new("switch").unwrap();
    channel.subscribe(&task).await.unwrap();
    channel.send(1_u32).unwrap();
    channel.set_transform(times_ten);
    channel.send(2_u32).unwrap();
    channel.clear_transform();
    channel.send(3_u32).unwrap();
    assert_eq!(drain_u32(&task).await, vec![1, 20, 3]);
}

#[pycos::test]
async fn each_channel_applies_its_transform_to_what_passes_through(task: TaskCtx) {
    let top = Channel::new("raw").unwrap();
    let scaled = Channel::with_transform("scaled-sub", times_ten).unwrap();
    let filtered = Channel::with_transform("small", |_, msg| {
        msg.downcast_ref::<u32>()
            .is_some_and(|n| *n < 50)
            .then_some(msg)
    })
    .unwrap();
    top.subscribe(&scaled).await.unwrap();
    scaled.subscribe(&filtered).await.unwrap();
    filtered.subscribe(&task).await.unwrap();
    assert_eq!(top.deliver(4_u32, 0, None).await.unwrap(), 1);
    assert_eq!(
        top.deliver(7_u32, 0, None).await.unwrap(),
        0,
        "70 is filtered below"
    );
    assert_eq!(drain_u32(&task).await, vec![40]);
}

#[pycos::test]
async fn a_transform_panicking_in_a_hierarchy_or_on_a_thread_stops_nothing(task: TaskCtx) {
    let top = Channel::new("panic-top").unwrap();
    let fragile = Channel::with_transform("panic-child", |_, msg| {
        assert!(msg.downcast_ref::<u32>() != Some(&13), "unlucky number");
        Some(msg)
    })
    .unwrap();
    top.subscribe(&fragile).await.unwrap();
    fragile.subscribe(&task).await.unwrap();
    // From a task, through the hierarchy.
    assert_eq!(top.deliver(13_u32, 0, None).await.unwrap(), 0);
    // From a thread that is not the scheduler's.
    let from_thread = top.clone();
    std::thread::spawn(move || {
        for n in [13_u32, 14] {
            from_thread.send(n).unwrap();
        }
    })
    .join()
    .expect("the sending thread survived the transform's panic");
    let msg = task.receive().timeout(100.0).await.expect("14 arrived");
    assert_eq!(msg.downcast_ref::<u32>(), Some(&14));
    // The scheduler still runs other tasks.
    let other = Task::new(doubled(21));
    assert_eq!(other.finish().await.unwrap(), 42);
}

#[task]
fn doubled(n: u32) -> u32 {
    n * 2
}
