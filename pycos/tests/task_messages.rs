//! send / deliver / receive / receive_matching: FIFO order, timeouts, and
//! which wake-ups end which waits.

use pycos::prelude::*;

#[task]
fn sender(to: Task, tag: u32, count: u32) {
    for i in 0..count {
        to.send((tag, i)).unwrap();
    }
}

#[pycos::test]
async fn per_sender_order_is_fifo(task: TaskCtx) {
    let me = task.handle();
    let senders: Vec<_> = (0..4)
        .map(|tag| Task::new(sender(me.clone(), tag, 100)))
        .collect();
    let mut next = [0_u32; 4];
    for _ in 0..400 {
        let msg = task.receive().await;
        let &(tag, i) = msg.downcast_ref::<(u32, u32)>().unwrap();
        assert_eq!(i, next[tag as usize], "sender {tag} out of order");
        next[tag as usize] += 1;
    }
    for s in senders {
        s.finish().await.unwrap();
    }
}

#[pycos::test(virtual_clock)]
async fn zero_or_negative_timeout_returns_at_once(task: TaskCtx) {
    let start = pycos::time::now().unwrap();
    assert!(task.receive().timeout(0).await.is_none());
    assert!(task.receive().timeout(-1.0).await.is_none());
    assert!(task.sleep(0.0).await.is_none());
    assert!(task.sleep(-5).await.is_none());
    assert_eq!(pycos::time::now().unwrap(), start, "no time passed");
    // A queued message is still taken with a zero timeout.
    task.send(1_u8).unwrap();
    let msg = task.receive().timeout(0).await.expect("queued message");
    assert_eq!(msg.downcast_ref::<u8>(), Some(&1));
}

#[pycos::test(virtual_clock)]
async fn receive_timeout_expires_on_virtual_time(task: TaskCtx) {
    let start = pycos::time::now().unwrap();
    assert!(task.receive().timeout(2.5).await.is_none());
    let waited = pycos::time::now().unwrap() - start;
    assert!((2.5..2.6).contains(&waited), "waited {waited}");
}

#[task]
fn send_later(to: Task, delay: f64, msg: &'static str, task: TaskCtx) {
    task.sleep(delay).await;
    to.send(msg).unwrap();
}

#[pycos::test(virtual_clock)]
async fn send_does_not_wake_a_sleeper(task: TaskCtx) {
    Task::new(send_later(task.handle(), 1.0, "early"));
    // The message arrives after 1 s, but the sleep ends only at 3 s.
    assert!(
        task.sleep(3.0).await.is_none(),
        "sleep ended by a timeout, not the message"
    );
    let msg = task
        .receive()
        .timeout(0)
        .await
        .expect("message stayed queued");
    assert_eq!(msg.downcast_ref::<&str>(), Some(&"early"));
}

#[task]
fn resume_later(to: Task, delay: f64, task: TaskCtx) {
    task.sleep(delay).await;
    to.resume("wake").unwrap();
}

#[pycos::test(virtual_clock)]
async fn resume_does_not_wake_a_receiver(task: TaskCtx) {
    Task::new(resume_later(task.handle(), 1.0));
    assert!(
        task.receive().timeout(3.0).await.is_none(),
        "resume must not end a receive"
    );
}

#[pycos::test]
async fn deliver_reports_delivery(task: TaskCtx) {
    let me = task.handle();
    me.deliver("x").await.unwrap();
    assert_eq!(task.receive().await.downcast_ref::<&str>(), Some(&"x"));
    #[task]
    fn quick() {}
    let gone = Task::new(quick());
    gone.finish().await.unwrap();
    let err = gone.deliver(5_u32).await.unwrap_err();
    assert_eq!(
        err.into_inner().downcast_ref::<u32>(),
        Some(&5),
        "the message is handed back"
    );
    assert!(gone.send(6_u32).is_err());
}

#[pycos::test(virtual_clock)]
async fn receive_matching_leaves_others_in_order(task: TaskCtx) {
    for i in 0..6_u32 {
        task.send(i).unwrap();
    }
    let odd = task
        .receive_matching(|m| m.downcast_ref::<u32>().is_some_and(|n| n % 2 == 1))
        .await;
    assert_eq!(odd.downcast_ref::<u32>(), Some(&1));
    let none = task
        .receive_matching(|m| m.is::<String>())
        .timeout(1.0)
        .await;
    assert!(none.is_none());
    let mut rest = Vec::new();
    while let Some(m) = task.receive().timeout(0).await {
        rest.push(*m.downcast_ref::<u32>().unwrap());
    }
    assert_eq!(rest, [0, 2, 3, 4, 5]);
}

#[pycos::test(virtual_clock)]
async fn receive_matching_waits_for_a_later_match(task: TaskCtx) {
    Task::new(send_later(task.handle(), 1.0, "other"));
    Task::new(send_later(task.handle(), 2.0, "wanted"));
    let got = task
        .receive_matching(|m| m.downcast_ref::<&str>() == Some(&"wanted"))
        .await;
    assert_eq!(got.downcast_ref::<&str>(), Some(&"wanted"));
    let left = task.receive().timeout(0).await.unwrap();
    assert_eq!(left.downcast_ref::<&str>(), Some(&"other"));
}

#[test]
fn send_from_a_plain_thread_wakes_the_receiver() {
    #[task]
    fn echo_once(task: TaskCtx) -> String {
        let msg = task.receive().await;
        msg.downcast::<String>().unwrap()
    }
    let sched = Pycos::new();
    let t = sched.spawn(echo_once());
    std::thread::spawn({
        let t = t.clone();
        move || t.send(String::from("from a thread")).unwrap()
    })
    .join()
    .unwrap();
    assert_eq!(t.value_timeout(10.0).unwrap(), "from a thread");
    sched.finish().unwrap();
}
