//! `Channel::deliver` waiting for subscribers, on the virtual clock.

#[path = "support/bounded.rs"]
mod bounded;

use pycos::prelude::*;

use bounded::{now, within};

/// Subscribes itself after `delay`; gives the first message's time.
#[task]
fn late_subscriber(channel: Channel, delay: f64, task: TaskCtx) -> Option<f64> {
    task.sleep(delay).await;
    channel.subscribe(&task).await.unwrap();
    task.receive().timeout(20.0).await?;
    Some(now())
}

#[pycos::test(virtual_clock)]
async fn deliver_waits_for_n_subscribers() {
    let channel = Channel::new("gather").unwrap();
    let first = Task::new(late_subscriber(channel.clone(), 1.0));
    let second = Task::new(late_subscriber(channel.clone(), 2.0));
    assert_eq!(channel.deliver("go", 2, 5.0).await.unwrap(), 2);
    assert_eq!(now(), 2.0, "sent as soon as the second subscribed");
    assert_eq!(
        within("first to end", first.finish()).await.unwrap(),
        Some(2.0)
    );
    assert_eq!(
        within("second to end", second.finish()).await.unwrap(),
        Some(2.0)
    );
}

#[pycos::test(virtual_clock)]
async fn deliver_that_times_out_sends_nothing(task: TaskCtx) {
    let channel = Channel::new("quorum").unwrap();
    channel.subscribe(&task).await.unwrap();
    let late = Task::new(late_subscriber(channel.clone(), 10.0));
    assert_eq!(channel.deliver("vote", 2, 3.0).await.unwrap(), 0);
    assert_eq!(now(), 3.0);
    assert!(
        task.receive().timeout(0.0).await.is_none(),
        "nothing was sent"
    );
    // The late subscriber finds nothing waiting for it either.
    assert_eq!(within("late to end", late.finish()).await.unwrap(), None);
}

#[pycos::test(virtual_clock)]
async fn deliver_with_a_zero_timeout_tries_once() {
    let channel = Channel::new("instant").unwrap();
    assert_eq!(channel.deliver("x", 1, 0.0).await.unwrap(), 0);
    assert_eq!(now(), 0.0);
    assert_eq!(
        channel.deliver("x", 0, 0.0).await.unwrap(),
        0,
        "n = 0 never waits"
    );
}

#[task]
fn close_later(channel: Channel, task: TaskCtx) {
    task.sleep(1.0).await;
    channel.close();
}

#[pycos::test(virtual_clock)]
async fn closing_the_channel_ends_a_waiting_deliver() {
    let channel = Channel::new("shutting").unwrap();
    Task::new(close_later(channel.clone()));
    let result = channel.deliver(5_u32, 1, 100.0).await;
    assert_eq!(now(), 1.0);
    let err = result.expect_err("closed while waiting");
    assert_eq!(
        err.into_inner().downcast_ref::<u32>(),
        Some(&5),
        "the message is handed back"
    );
}

#[pycos::test(virtual_clock)]
async fn deliver_can_also_be_bounded_with_timeout(task: TaskCtx) {
    let channel = Channel::new("bounded").unwrap();
    let waited = channel.deliver("late", 1, None).timeout(2.0).await;
    assert!(waited.is_none());
    assert_eq!(now(), 2.0);
    channel.subscribe(&task).await.unwrap();
    assert!(
        task.receive().timeout(0.0).await.is_none(),
        "the abandoned deliver sent nothing"
    );
}
