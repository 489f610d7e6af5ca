//! The subscriber list at scale: order and duplicates through many
//! subscriptions and removals, and a send that finds every subscriber
//! ended. (Its speed — subscribe O(1), send O(subscribers) — is measured
//! outside the tests; see the channel module doc.)

use pycos::channel::{Subscriber, UnsubscribeError};
use pycos::prelude::*;

#[task]
fn idle(task: TaskCtx) {
    // Lives until told to stop, so that it stays a live subscriber.
    task.receive_matching(|msg| msg.is::<&str>()).await;
}

#[task]
fn ends_at_once() {}

/// `n` tasks that have ended.
async fn ended_tasks(n: usize) -> Vec<Task> {
    let tasks: Vec<Task> = (0..n)
        .map(|_| Task::new(ends_at_once()).untyped())
        .collect();
    for task in &tasks {
        task.finish().await.unwrap();
    }
    tasks
}

#[pycos::test]
async fn a_send_finding_100k_ended_subscribers_leaves_none() {
    const N: usize = 100_000;
    let channel = Channel::new("ghosts").unwrap();
    let tasks = ended_tasks(N).await;
    for task in &tasks {
        channel.subscribe(task).await.unwrap();
    }
    assert_eq!(channel.subscriber_count(), N);
    channel.send(1_u32).unwrap();
    assert_eq!(channel.subscriber_count(), 0);
    assert!(channel.subscribers().is_empty());
    // The list works as new afterwards.
    let tasks = ended_tasks(3).await;
    for task in &tasks {
        channel.subscribe(task).await.unwrap();
    }
    assert_eq!(channel.subscriber_count(), 3);
}

#[pycos::test]
async fn order_and_duplicates_hold_through_many_removals() {
    let channel = Channel::new("roster").unwrap();
    let tasks: Vec<Task> = (0..200).map(|_| Task::new(idle()).untyped()).collect();
    for task in &tasks {
        channel.subscribe(task).await.unwrap();
        channel.subscribe(task).await.unwrap();
    }
    assert_eq!(channel.subscriber_count(), 200, "duplicates refused");
    // Removing the even ones empties more than half the slots: the list is
    // compacted on the way, and must keep the others in order.
    for task in tasks.iter().step_by(2) {
        channel.unsubscribe(task).await.unwrap();
        assert_eq!(
            channel.unsubscribe(task).await,
            Err(UnsubscribeError::NotSubscribed)
        );
    }
    let odd: Vec<Subscriber> = tasks
        .iter()
        .skip(1)
        .step_by(2)
        .map(Subscriber::from)
        .collect();
    assert_eq!(channel.subscribers(), odd);
    // A returning subscriber goes to the end; one still there is refused.
    channel.subscribe(&tasks[0]).await.unwrap();
    channel.subscribe(&tasks[1]).await.unwrap();
    let mut expected = odd.clone();
    expected.push(Subscriber::from(&tasks[0]));
    assert_eq!(channel.subscribers(), expected);
    // The index still finds every one after compaction.
    for task in tasks.iter().skip(1).step_by(2) {
        channel.unsubscribe(task).await.unwrap();
    }
    assert_eq!(channel.subscribers(), vec![Subscriber::from(&tasks[0])]);
    for task in &tasks {
        task.send("stop").unwrap();
    }
}

#[pycos::test]
async fn a_send_drops_the_ended_and_keeps_the_live_in_order(task: TaskCtx) {
    let channel = Channel::new("mixed").unwrap();
    let ended = ended_tasks(100).await;
    let mut live = Vec::new();
    for (i, gone) in ended.iter().enumerate() {
        channel.subscribe(gone).await.unwrap();
        if i % 10 == 0 {
            let idler = Task::new(idle()).untyped();
            channel.subscribe(&idler).await.unwrap();
            live.push(idler);
        }
    }
    channel.subscribe(&task).await.unwrap();
    assert_eq!(
        channel.deliver(7_u32, 0, None).await.unwrap(),
        live.len() + 1
    );
    let mut expected: Vec<Subscriber> = live.iter().map(Subscriber::from).collect();
    expected.push(Subscriber::from(&task));
    assert_eq!(channel.subscribers(), expected);
    assert_eq!(task.receive().await.downcast_ref::<u32>(), Some(&7));
    for idler in &live {
        idler.send("stop").unwrap();
    }
}
