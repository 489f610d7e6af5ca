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
