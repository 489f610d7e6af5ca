//! Timers on the virtual clock: many pending, exact ordering, cancellation.

use pycos::prelude::*;

#[task]
fn sleep_then_report(secs: f64, report: Task, task: TaskCtx) {
    task.sleep(secs).await;
    report.send((secs, pycos::time::now().unwrap())).unwrap();
}

#[pycos::test(virtual_clock)]
async fn a_hundred_thousand_sleepers_wake_on_time(task: TaskCtx) {
    let me = task.handle();
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..100_000 {
        let secs = f64::from(rng.u32(1..=200)) / 1000.0;
        Task::new(sleep_then_report(secs, me.clone()));
    }
    let mut last = 0.0;
    for _ in 0..100_000 {
        let msg = task.receive().await;
        let &(secs, woke) = msg.downcast_ref::<(f64, f64)>().unwrap();
        assert!(woke >= secs, "woke at {woke} before its deadline {secs}");
        assert!(woke - secs < 0.001, "woke late: {woke} for {secs}");
        assert!(woke >= last, "deadline order");
        last = woke;
    }
}

#[pycos::test(virtual_clock)]
async fn a_cancelled_timeout_does_not_fire(task: TaskCtx) {
    task.send(1_u8).unwrap();
    assert!(task.receive().timeout(1000.0).await.is_some());
    // The cancelled 1000 s timer must not keep the clock from moving on:
    // the next sleep ends at 1 s, not after 1000 s.
    let start = pycos::time::now().unwrap();
    task.sleep(1.0).await;
    assert_eq!(pycos::time::now().unwrap() - start, 1.0);
}

#[pycos::test]
async fn real_clock_sleeps_really(task: TaskCtx) {
    let start = std::time::Instant::now();
    task.sleep(0.05).await;
    assert!(start.elapsed() >= std::time::Duration::from_millis(50));
}

/// A waker that, when a timer wakes it, arms another timer at once (by
/// polling a fresh timeout): the timer queue must be free by then, not
/// still borrowed by the firing loop.
#[pycos::test(virtual_clock)]
async fn a_waker_woken_by_a_timer_may_arm_a_timer(task: TaskCtx) {
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Wake, Waker};

    type Rearm = Pin<Box<dyn std::future::Future<Output = Option<()>> + Send>>;
    struct Arming {
        next: Mutex<Option<Rearm>>,
        armed: Mutex<Option<bool>>,
    }
    impl Wake for Arming {
        fn wake(self: Arc<Self>) {
            let next = self.next.lock().unwrap().take();
            let Some(mut next) = next else { return };
            let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                next.as_mut().poll(&mut Context::from_waker(Waker::noop()))
            }));
            *self.armed.lock().unwrap() = Some(matches!(polled, Ok(Poll::Pending)));
        }
    }

    let arming = Arc::new(Arming {
        next: Mutex::new(Some(Box::pin(std::future::pending::<()>().timeout(5.0)))),
        armed: Mutex::new(None),
    });
    let waker = Waker::from(arming.clone());
    let mut first = Box::pin(std::future::pending::<()>().timeout(1.0));
    assert!(
        first
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending()
    );
    task.sleep(2.0).await;
    assert_eq!(*arming.armed.lock().unwrap(), Some(true));
}
