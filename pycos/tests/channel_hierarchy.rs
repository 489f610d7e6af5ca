//! Channel hierarchies: fan-out counts from `deliver`, order through
//! levels, cycle refusal, closed children.

use pycos::channel::SubscribeError;
use pycos::prelude::*;

/// Counts messages until `"stop"`; gives the `u32`s received in order.
#[task]
fn listener(task: TaskCtx) -> Vec<u32> {
    let mut got = Vec::new();
    loop {
        let msg = task.receive().await;
        if let Some(n) = msg.downcast_ref::<u32>() {
            got.push(*n);
        } else {
            return got;
        }
    }
}

#[pycos::test]
async fn deliver_counts_end_point_recipients_across_the_hierarchy() {
    // top ─┬─ t1
    //      └─ mid ─┬─ t2
    //              ├─ t3
    //              └─ leaf ── t4
    let top = Channel::new("top").unwrap();
    let mid = Channel::new("mid").unwrap();
    let leaf = Channel::new("leaf").unwrap();
    let tasks: Vec<_> = (0..4).map(|_| Task::new(listener())).collect();
    top.subscribe(&tasks[0]).await.unwrap();
    top.subscribe(&mid).await.unwrap();
    mid.subscribe(&tasks[1]).await.unwrap();
    mid.subscribe(&tasks[2]).await.unwrap();
    mid.subscribe(&leaf).await.unwrap();
    leaf.subscribe(&tasks[3]).await.unwrap();
    assert_eq!(top.deliver(1_u32, 0, None).await.unwrap(), 4);
    assert_eq!(mid.deliver(2_u32, 0, None).await.unwrap(), 3);
    assert_eq!(leaf.deliver(3_u32, 0, None).await.unwrap(), 1);
    // `n` counts direct subscribers: top has two (t1 and mid).
    assert_eq!(top.deliver(4_u32, 2, 0.0).await.unwrap(), 4);
    for n in 5..10_u32 {
        top.send(n).unwrap();
    }
    top.send("stop").unwrap();
    let expected = [
        vec![1, 4, 5, 6, 7, 8, 9],
        vec![1, 2, 4, 5, 6, 7, 8, 9],
        vec![1, 2, 4, 5, 6, 7, 8, 9],
        vec![1, 2, 3, 4, 5, 6, 7, 8, 9],
    ];
    for (task, expected) in tasks.into_iter().zip(expected) {
        assert_eq!(
            task.finish().await.unwrap(),
            expected,
            "in send order through every level"
        );
    }
}

#[pycos::test]
async fn subscriptions_that_would_make_a_cycle_are_refused() {
    let a = Channel::new("a").unwrap();
    let b = Channel::new("b").unwrap();
    let c = Channel::new("c").unwrap();
    let cycle = |channel: &str, subscriber: &str| {
        Err(SubscribeError::Cycle {
            channel: channel.to_owned(),
            subscriber: subscriber.to_owned(),
        })
    };
    assert_eq!(
        a.subscribe(&a).await,
        cycle("a", "a"),
        "a channel cannot feed itself"
    );
    a.subscribe(&b).await.unwrap();
    assert_eq!(b.subscribe(&a).await, cycle("b", "a"));
    b.subscribe(&c).await.unwrap();
    assert_eq!(
        c.subscribe(&a).await,
        cycle("c", "a"),
        "three-channel cycle"
    );
    assert_eq!(a.subscriber_count(), 1);
    assert_eq!(b.subscriber_count(), 1);
    assert_eq!(
        c.subscriber_count(),
        0,
        "refused subscriptions changed nothing"
    );
    // Still a tree: sending terminates.
    assert_eq!(a.deliver(0_u32, 0, None).await.unwrap(), 0);
}

#[pycos::test]
async fn a_diamond_is_not_a_cycle(task: TaskCtx) {
    let top = Channel::new("diamond-top").unwrap();
    let left = Channel::new("diamond-left").unwrap();
    let right = Channel::new("diamond-right").unwrap();
    let bottom = Channel::new("diamond-bottom").unwrap();
    top.subscribe(&left).await.unwrap();
    top.subscribe(&right).await.unwrap();
    left.subscribe(&bottom).await.unwrap();
    right.subscribe(&bottom).await.unwrap();
    bottom.subscribe(&task).await.unwrap();
    assert_eq!(
        top.deliver(1_u32, 0, None).await.unwrap(),
        2,
        "one copy per path"
    );
    assert!(task.receive().timeout(0.0).await.is_some());
    assert!(task.receive().timeout(0.0).await.is_some());
}

#[pycos::test]
async fn closed_channels_are_dropped_from_their_parents(task: TaskCtx) {
    let parent = Channel::new("parent").unwrap();
    let child = Channel::new("child").unwrap();
    parent.subscribe(&child).await.unwrap();
    parent.subscribe(&task).await.unwrap();
    child.subscribe(&task).await.unwrap();
    assert_eq!(parent.deliver(1_u32, 0, None).await.unwrap(), 2);
    child.close();
    assert_eq!(parent.deliver(2_u32, 0, None).await.unwrap(), 1);
    assert_eq!(parent.subscribers(), vec![Subscriber::from(&task)]);
    assert_eq!(
        parent.subscribe(&child).await,
        Err(SubscribeError::Closed("child".to_owned()))
    );
}
