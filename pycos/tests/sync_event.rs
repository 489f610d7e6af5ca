//! `Event`: set wakes everyone, waits on a set event return at once,
//! timeouts, and setting from another thread.

#[path = "support/bounded.rs"]
mod bounded;

use pycos::prelude::*;

use bounded::{now, within};

#[task]
fn wait_at(event: Event) -> f64 {
    event.wait().await;
    now()
}

#[pycos::test(virtual_clock)]
async fn set_wakes_every_waiter(task: TaskCtx) {
    let event = Event::new();
    let waiters: Vec<_> = (0..3).map(|_| Task::new(wait_at(event.clone()))).collect();
    task.sleep(1.0).await;
    assert!(
        waiters.iter().all(Task::is_alive),
        "nobody runs before the set"
    );
    event.set();
    for waiter in waiters {
        assert_eq!(within("waiter to end", waiter.finish()).await.unwrap(), 1.0);
    }
}

#[pycos::test(virtual_clock)]
async fn set_event_returns_at_once_until_cleared() {
    let event = Event::new();
    assert!(!event.is_set());
    assert!(
        event.wait().timeout(0.0).await.is_none(),
        "zero timeout on a clear event"
    );
    event.set();
    assert!(event.is_set());
    assert!(event.wait().timeout(0.0).await.is_some());
    within("the set event", event.wait()).await;
    event.clear();
    assert!(!event.is_set());
    let start = now();
    assert!(event.wait().timeout(2.0).await.is_none());
    assert_eq!(now() - start, 2.0);
}

#[pycos::test(virtual_clock)]
async fn waiters_are_woken_even_if_cleared_before_they_run(task: TaskCtx) {
    let event = Event::new();
    let waiter = Task::new(wait_at(event.clone()));
    task.sleep(1.0).await;
    event.set();
    event.clear();
    let woken = waiter.finish().timeout(1.0).await;
    assert_eq!(
        woken.map(Result::unwrap),
        Some(1.0),
        "the set woke the waiter"
    );
}

#[pycos::test]
async fn a_thread_setting_the_event_wakes_the_task() {
    let event = Event::new();
    let (go, start) = std::sync::mpsc::channel::<()>();
    let setter = {
        let event = event.clone();
        std::thread::spawn(move || {
            start.recv().expect("the task says go");
            event.set();
        })
    };
    assert!(event.wait().timeout(0.0).await.is_none());
    go.send(()).unwrap();
    let woken = event.wait().timeout(10.0).await;
    assert!(
        woken.is_some(),
        "the thread's set woke this task within 10 s"
    );
    setter.join().unwrap();
}
