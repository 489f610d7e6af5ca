//! Selective receive: `CategorizeMessages` buckets and the runtime's
//! `receive_matching`, with timeouts and order preservation.

#[path = "support/bounded.rs"]
mod bounded;

use pycos::prelude::*;

use bounded::{now, within};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Parity {
    Even,
    Odd,
}

fn parity(msg: &Msg) -> Option<Parity> {
    let n = msg.downcast_ref::<u32>()?;
    Some(if n % 2 == 0 {
        Parity::Even
    } else {
        Parity::Odd
    })
}

fn number(msg: &Msg) -> u32 {
    *msg.downcast_ref::<u32>().expect("a u32 message")
}

#[pycos::test(virtual_clock)]
async fn receive_by_category_keeps_the_others_in_order(task: TaskCtx) {
    let mut inbox = CategorizeMessages::new(&task);
    inbox.add(parity);
    for n in 1..=6_u32 {
        task.send(n).unwrap();
    }
    assert_eq!(
        number(&within("a message", inbox.receive(Parity::Even)).await),
        2
    );
    assert_eq!(
        inbox.len(Parity::Odd),
        1,
        "only what had to be looked at is set aside"
    );
    assert_eq!(
        number(&within("a message", inbox.receive(Parity::Even)).await),
        4
    );
    assert_eq!(
        number(&within("a message", inbox.receive(Parity::Even)).await),
        6
    );
    let odds = [
        within("a message", inbox.receive(Parity::Odd)).await,
        within("a message", inbox.receive(Parity::Odd)).await,
        within("a message", inbox.receive(Parity::Odd)).await,
    ];
    assert_eq!(odds.iter().map(number).collect::<Vec<_>>(), vec![1, 3, 5]);
    assert!(inbox.is_empty(Parity::Odd) && inbox.is_empty(Parity::Even));
}

#[pycos::test(virtual_clock)]
async fn unclaimed_messages_form_the_none_category(task: TaskCtx) {
    let mut inbox = CategorizeMessages::new(&task);
    inbox.add(parity);
    task.send(1_u32).unwrap();
    task.send("text").unwrap();
    task.send(2_u32).unwrap();
    let text = within("a message", inbox.receive(None)).await;
    assert_eq!(text.downcast_ref::<&str>(), Some(&"text"));
    assert_eq!(inbox.len(Parity::Odd), 1);
    assert_eq!(
        number(&within("a message", inbox.receive(Parity::Even)).await),
        2
    );
}

#[pycos::test(virtual_clock)]
async fn the_newest_categorizer_is_asked_first(task: TaskCtx) {
    let mut inbox = CategorizeMessages::new(&task);
    inbox.add(parity);
    let big = inbox.add(|msg: &Msg| (number(msg) > 10).then_some(Parity::Even));
    task.send(11_u32).unwrap();
    assert_eq!(
        number(&within("a message", inbox.receive(Parity::Even)).await),
        11,
        "the newer categorizer won"
    );
    assert!(inbox.remove(big));
    assert!(!inbox.remove(big), "removing twice reports it");
    task.send(13_u32).unwrap();
    assert_eq!(
        number(&within("a message", inbox.receive(Parity::Odd)).await),
        13
    );
}

#[task]
fn send_later(to: Task, msgs: Vec<u32>, delay: f64, task: TaskCtx) {
    task.sleep(delay).await;
    for msg in msgs {
        to.send(msg).unwrap();
    }
}

#[pycos::test(virtual_clock)]
async fn timed_out_receive_keeps_what_it_set_aside(task: TaskCtx) {
    let mut inbox = CategorizeMessages::new(&task);
    inbox.add(parity);
    Task::new(send_later(task.handle(), vec![1, 3, 5], 0.5));
    assert!(inbox.receive(Parity::Even).timeout(1.0).await.is_none());
    assert_eq!(now(), 1.0);
    assert_eq!(
        inbox.len(Parity::Odd),
        3,
        "nothing received meanwhile was lost"
    );
    Task::new(send_later(task.handle(), vec![8], 1.0));
    assert_eq!(
        number(&within("a message", inbox.receive(Parity::Even)).await),
        8
    );
    assert_eq!(now(), 2.0);
    assert_eq!(
        number(&within("a message", inbox.receive(Parity::Odd)).await),
        1
    );
}

#[pycos::test(virtual_clock)]
async fn receive_matching_takes_the_oldest_match_and_keeps_the_order(task: TaskCtx) {
    for n in 1..=5_u32 {
        task.send(n).unwrap();
    }
    let even = task.receive_matching(|m| number(m).is_multiple_of(2)).await;
    assert_eq!(number(&even), 2);
    let none = task
        .receive_matching(|m| number(m) > 100)
        .timeout(1.0)
        .await;
    assert!(none.is_none());
    assert_eq!(now(), 1.0);
    let mut rest = Vec::new();
    while let Some(msg) = task.receive().timeout(0.0).await {
        rest.push(number(&msg));
    }
    assert_eq!(rest, vec![1, 3, 4, 5], "unmatched messages stay in order");
}

#[pycos::test(virtual_clock)]
async fn receive_matching_waits_for_a_later_match(task: TaskCtx) {
    Task::new(send_later(task.handle(), vec![1, 3, 42, 5], 2.0));
    let found = task
        .receive_matching(|m| number(m) == 42)
        .timeout(5.0)
        .await;
    assert_eq!(found.as_ref().map(number), Some(42));
    assert_eq!(now(), 2.0);
    assert_eq!(number(&within("a message", task.receive()).await), 1);
}
