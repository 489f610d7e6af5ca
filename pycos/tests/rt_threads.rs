//! Work crossing threads: spawns, sends, resumes and wake-ups from foreign
//! threads and foreign wakers.

use std::sync::mpsc;

use pycos::prelude::*;

#[task]
fn ident(n: u64) -> u64 {
    n
}

#[test]
fn many_tasks_spawned_from_other_threads_all_complete() {
    let sched = Pycos::new();
    let spawners: Vec<_> = (0..4_u64)
        .map(|part| {
            let sched = sched.clone();
            std::thread::spawn(move || {
                let tasks: Vec<_> = (0..25_000)
                    .map(|i| sched.spawn(ident(part * 25_000 + i)))
                    .collect();
                tasks.into_iter().map(|t| t.value().unwrap()).sum::<u64>()
            })
        })
        .collect();
    let total: u64 = spawners.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, (0..100_000_u64).sum());
    sched.finish().unwrap();
}

#[test]
fn resume_from_a_thread_ends_a_suspend() {
    let sched = Pycos::new();
    #[task]
    fn wait(ready: mpsc::Sender<()>, task: TaskCtx) -> u32 {
        ready.send(()).unwrap();
        *task.suspend().await.downcast_ref::<u32>().unwrap()
    }
    let (tx, rx) = mpsc::channel();
    let t = sched.spawn(wait(tx));
    rx.recv().unwrap();
    // The task may not have reached its suspend yet: resume until it has.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while t.value_timeout(0.01).is_err() {
        t.resume(11_u32).unwrap();
        assert!(
            std::time::Instant::now() < deadline,
            "the task never resumed"
        );
    }
    assert_eq!(t.value().unwrap(), 11);
    sched.finish().unwrap();
}

/// A future completed by another thread through a plain std Waker: tasks
/// are ordinary futures, so foreign wakers work.
#[test]
fn foreign_wakers_from_other_threads_wake_tasks() {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};

    #[derive(Default)]
    struct Slot {
        value: Option<u32>,
        waker: Option<Waker>,
    }
    struct Wait(Arc<Mutex<Slot>>);
    impl Future for Wait {
        type Output = u32;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            let mut slot = self.0.lock().unwrap();
            match slot.value {
                Some(v) => Poll::Ready(v),
                None => {
                    slot.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    }
    #[task]
    fn waits(slot: Arc<Mutex<Slot>>) -> u32 {
        Wait(slot).await
    }
    let sched = Pycos::new();
    let slot = Arc::new(Mutex::new(Slot::default()));
    let t = sched.spawn(waits(slot.clone()));
    std::thread::spawn(move || {
        let mut s = slot.lock().unwrap();
        s.value = Some(99);
        if let Some(w) = s.waker.take() {
            w.wake();
        }
    })
    .join()
    .unwrap();
    assert_eq!(t.value_timeout(10.0).unwrap(), 99);
    sched.finish().unwrap();
}

#[test]
fn tasks_on_two_schedulers_talk() {
    let a = Pycos::new();
    let b = Pycos::new();
    #[task]
    fn echo(task: TaskCtx) {
        let msg = task.receive().await;
        let (reply_to, n) = msg.downcast_ref::<(Task, u32)>().unwrap().clone();
        reply_to.send(n * 2).unwrap();
    }
    #[task]
    fn ask(server: Task, task: TaskCtx) -> u32 {
        server.send((task.handle(), 21_u32)).unwrap();
        *task.receive().await.downcast_ref::<u32>().unwrap()
    }
    let server = b.spawn(echo());
    let client = a.spawn(ask(server.untyped()));
    assert_eq!(client.value_timeout(10.0).unwrap(), 42);
    assert!(server.value_timeout(10.0).is_ok());
    a.finish().unwrap();
    b.finish().unwrap();
}
