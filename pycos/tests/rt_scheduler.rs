//! Pycos: join, finish, terminate, daemons, atexit, calls from the wrong thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use pycos::prelude::*;
use pycos::{SchedulerError, ValueError};

fn virtual_sched() -> Pycos {
    Pycos::builder()
        .virtual_clock(true)
        .build()
        .expect("scheduler")
}

#[task]
fn nap(secs: f64, task: TaskCtx) {
    task.sleep(secs).await;
}

struct Flag(Arc<AtomicBool>);
impl Drop for Flag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[task]
fn daemon_forever(dropped: Arc<AtomicBool>, task: TaskCtx) {
    task.set_daemon(true);
    let _flag = Flag(dropped);
    loop {
        task.receive().await;
    }
}

#[test]
fn join_waits_for_non_daemon_tasks_only() {
    let sched = virtual_sched();
    let dropped = Arc::new(AtomicBool::new(false));
    let daemon = sched.spawn(daemon_forever(dropped.clone()));
    let worker = sched.spawn(nap(5.0));
    sched.join().unwrap();
    assert!(!worker.is_alive());
    assert!(daemon.is_alive(), "join does not end daemons");
    sched.finish().unwrap();
    assert!(!daemon.is_alive(), "finish ends daemons");
    assert!(
        dropped.load(Ordering::SeqCst),
        "the daemon's destructors ran"
    );
    assert!(matches!(
        daemon.value(),
        Err(ValueError::Task(TaskError::Terminated))
    ));
    assert!(!sched.is_alive());
}

#[test]
fn join_timeout_reports_running_tasks() {
    let sched = Pycos::new();
    #[task]
    fn wait_forever(task: TaskCtx) {
        task.suspend().await;
    }
    let t = sched.spawn(wait_forever());
    assert_eq!(sched.join_timeout(0.05), Ok(false));
    t.terminate().unwrap();
    assert_eq!(sched.join_timeout(10.0), Ok(true));
    sched.finish().unwrap();
}

#[test]
fn terminate_ends_every_task_at_once() {
    let sched = Pycos::new();
    let dropped = Arc::new(AtomicBool::new(false));
    #[task]
    fn stubborn(dropped: Arc<AtomicBool>, started: std::sync::mpsc::Sender<()>, task: TaskCtx) {
        let _flag = Flag(dropped);
        started.send(()).unwrap();
        task.suspend().await;
    }
    let (started, running) = std::sync::mpsc::channel();
    let t = sched.spawn(stubborn(dropped.clone(), started));
    running.recv().unwrap();
    sched.terminate().unwrap();
    assert!(dropped.load(Ordering::SeqCst));
    assert!(!t.is_alive());
    assert!(!sched.is_alive());
}

#[test]
fn atexit_hooks_run_by_priority_and_can_be_dropped() {
    let sched = Pycos::new();
    let order = Arc::new(Mutex::new(Vec::new()));
    for priority in [1, 10, 5, 10] {
        let order = order.clone();
        sched.atexit(priority, move || order.lock().unwrap().push(priority));
    }
    let dropped = sched.atexit(7, || panic!("dropped hook ran"));
    assert!(sched.drop_atexit(dropped));
    assert!(!sched.drop_atexit(dropped));
    sched.finish().unwrap();
    assert_eq!(*order.lock().unwrap(), [10, 10, 5, 1]);
}

/// The blocking calls a `#[task]` body rejects at compile time, made
/// without the macro to reach the runtime's own guard.
fn blocking_calls(sched: Pycos, other: Task) -> TaskSpec<Vec<String>> {
    TaskSpec::new(
        "blocking_calls",
        (sched, other),
        |(sched, other), _task| async move {
            let results = vec![
                sched.join().map_err(|e| e.to_string()),
                sched.finish().map_err(|e| e.to_string()),
                sched.terminate().map_err(|e| e.to_string()),
                sched
                    .join_timeout(1.0)
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            ];
            let mut errors: Vec<String> = results.into_iter().filter_map(Result::err).collect();
            if let Err(err) = other.value() {
                errors.push(err.to_string());
            }
            errors
        },
    )
}

#[test]
fn blocking_calls_on_the_scheduler_thread_fail_instead_of_deadlocking() {
    let sched = Pycos::new();
    let other = sched.spawn(nap(0.0)).untyped();
    let errors = sched
        .spawn(blocking_calls(sched.clone(), other))
        .value()
        .unwrap();
    assert_eq!(errors.len(), 5, "{errors:?}");
    let expected = SchedulerError::OnSchedulerThread.to_string();
    assert!(errors[..4].iter().all(|e| *e == expected));
    assert_eq!(errors[4], ValueError::OnSchedulerThread.to_string());
    sched.finish().unwrap();
}

#[test]
fn a_task_on_a_stopped_scheduler_ends_terminated() {
    let sched = Pycos::new();
    sched.finish().unwrap();
    let late = sched.spawn(nap(0.0));
    assert!(matches!(
        late.value(),
        Err(ValueError::Task(TaskError::Terminated))
    ));
}

#[test]
fn set_daemon_late_releases_join() {
    let sched = virtual_sched();
    #[task]
    fn becomes_daemon(task: TaskCtx) {
        task.sleep(1.0).await;
        task.set_daemon(true);
        task.suspend().await;
    }
    let t = sched.spawn(becomes_daemon());
    sched.join().unwrap();
    assert!(t.is_alive());
    sched.finish().unwrap();
}

#[test]
fn instance_is_shared_and_restarts_after_finish() {
    let first = Pycos::instance();
    assert_eq!(first, Pycos::instance());
    let t = Task::new(nap(0.0));
    assert_eq!(t.scheduler(), Some(first.clone()));
    first.finish().unwrap();
    let second = Pycos::instance();
    assert_ne!(first, second);
    second.finish().unwrap();
}
