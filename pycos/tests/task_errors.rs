//! The task errors' reasons: every `is_*` query, the message or error
//! handed back, the Display texts, and the wire form of `TaskError`.

#[path = "support/reasons.rs"]
mod reasons;

use pycos::prelude::*;
use pycos::{ErrorText, SendError, TaskErrorKind, ThrowError, ThrownError};
use reasons::{check_reason, check_send_reasons, one_hot};

#[task]
fn quick() {}

#[task]
fn catch_nothing(task: TaskCtx) {
    task.suspend().await;
}

/// The answers of the five queries, in the order: ended, not serializable,
/// unreachable, refused, timed out.
fn send_queries(err: &SendError) -> [bool; 5] {
    [
        err.is_ended(),
        err.is_not_serializable(),
        err.is_unreachable(),
        err.is_refused(),
        err.is_timed_out(),
    ]
}

#[pycos::test]
async fn sending_to_an_ended_task_hands_the_message_back() {
    let gone = Task::new(quick());
    gone.finish().await.unwrap();
    let err = gone.send(5_u32).unwrap_err();
    assert_eq!(send_queries(&err), one_hot(0), "{err:?}");
    assert_eq!(err.message().type_name(), "u32");
    assert_eq!(err.to_string(), "task has ended; message (u32) not sent");
    assert_eq!(err.into_inner().downcast_ref::<u32>(), Some(&5));

    let err = gone.deliver("late").await.unwrap_err();
    assert!(err.is_ended());
    assert_eq!(err.into_inner().downcast_ref::<&str>(), Some(&"late"));
}

#[test]
fn every_send_reason_has_its_query_text_and_message() {
    type Make = fn(Msg) -> SendError;
    let cases: [(Make, &str); 5] = [
        (SendError::ended, "task has ended; message (u32) not sent"),
        (
            SendError::not_serializable,
            "message type u32 is not serializable; not sent to the remote task",
        ),
        (
            |msg| SendError::unreachable(msg, "node-b:9705"),
            "peer node-b:9705 is unreachable; message (u32) not sent",
        ),
        (
            |msg| SendError::refused(msg, "mailbox full"),
            "peer refused the message (u32): mailbox full",
        ),
        (
            SendError::timed_out,
            "timed out; message (u32) may or may not have reached the task",
        ),
    ];
    check_send_reasons(cases, send_queries);
}

/// ended, self throw, unreachable, refused, timed out.
fn throw_queries(err: &ThrowError) -> [bool; 5] {
    [
        err.is_ended(),
        err.is_self_throw(),
        err.is_unreachable(),
        err.is_refused(),
        err.is_timed_out(),
    ]
}

#[pycos::test]
async fn throwing_into_an_ended_task_or_itself_hands_the_error_back(task: TaskCtx) {
    let err = task.throw(std::io::Error::other("mine")).unwrap_err();
    check_reason(
        &err,
        throw_queries(&err),
        1,
        "a running task cannot throw into itself",
    );
    assert!(err.error().get_ref().is::<std::io::Error>());

    let gone = Task::new(quick());
    gone.finish().await.unwrap();
    let err = gone.throw(std::io::Error::other("late")).unwrap_err();
    check_reason(
        &err,
        throw_queries(&err),
        0,
        "task has ended; error not thrown",
    );
    let back = err.into_inner();
    let io = back.get_ref().downcast_ref::<std::io::Error>().unwrap();
    assert_eq!(io.to_string(), "late");
}

#[test]
fn every_remote_throw_reason_has_its_query_and_text() {
    type Make = fn(ThrownError) -> ThrowError;
    let cases: [(Make, usize, &str); 4] = [
        (ThrowError::ended, 0, "task has ended; error not thrown"),
        (
            |err| ThrowError::unreachable(err, "node-b:9705"),
            2,
            "peer node-b:9705 is unreachable; error not thrown",
        ),
        (
            |err| ThrowError::refused(err, "no such task"),
            3,
            "peer refused the throw: no such task",
        ),
        (
            ThrowError::timed_out,
            4,
            "timed out; the error may or may not have been thrown into the task",
        ),
    ];
    for (make, at, text) in cases {
        let err = make(ThrownError::from_text("stop"));
        check_reason(&err, throw_queries(&err), at, text);
        assert_eq!(err.into_inner().to_string(), "stop");
    }
}

/// One of each variant, with its Display text.
fn every_task_error() -> Vec<(TaskError, &'static str)> {
    vec![
        (TaskError::Error("no luck".into()), "task failed: no luck"),
        (TaskError::Panicked("boom".into()), "task panicked: boom"),
        (
            TaskError::Thrown(ThrownError::from_text("stop")),
            "uncaught error thrown into task: stop",
        ),
        (TaskError::Terminated, "task was terminated"),
        (
            TaskError::SchedulerDied("bug".into()),
            "the task's scheduler thread died: bug",
        ),
        (
            TaskError::SelfWait,
            "a task cannot wait for its own end (`finish()` on itself)",
        ),
        (
            TaskError::Unreachable("node-b:9705".into()),
            "peer node-b:9705 of the remote task is unreachable; the task's outcome is unknown",
        ),
        (
            TaskError::TimedOut,
            "timed out waiting for the remote task; its outcome is unknown",
        ),
    ]
}

fn task_queries(err: &TaskError) -> [bool; 8] {
    [
        err.is_error(),
        err.is_panic(),
        err.is_thrown(),
        err.is_terminated(),
        err.is_scheduler_died(),
        err.is_self_wait(),
        err.is_unreachable(),
        err.is_timed_out(),
    ]
}

#[test]
fn every_task_error_has_its_query_kind_and_text() {
    let errors = every_task_error();
    let kinds: Vec<_> = errors.iter().map(|(err, _)| err.kind()).collect();
    assert_eq!(kinds, TaskErrorKind::ALL, "one case per kind, in order");
    for (at, (err, text)) in errors.iter().enumerate() {
        check_reason(err, task_queries(err), at, text);
        assert_eq!(
            err.is_outcome_unknown(),
            matches!(err, TaskError::Unreachable(_) | TaskError::TimedOut),
            "{err:?}"
        );
    }
}

#[test]
fn every_task_error_crosses_a_wire_as_parts() {
    let table = [
        (TaskErrorKind::Error, "no luck"),
        (TaskErrorKind::Panicked, "boom"),
        (TaskErrorKind::Thrown, "stop"),
        (TaskErrorKind::Terminated, ""),
        (TaskErrorKind::SchedulerDied, "bug"),
        (TaskErrorKind::SelfWait, ""),
        (TaskErrorKind::Unreachable, "node-b:9705"),
        (TaskErrorKind::TimedOut, ""),
    ];
    for ((err, text), (kind, part)) in every_task_error().into_iter().zip(table) {
        let parts = err.to_parts();
        assert_eq!(parts, (kind, part.to_owned()), "{err:?}");
        let back = TaskError::from_parts(parts.0, parts.1.clone());
        assert_eq!(back.kind(), kind);
        assert_eq!(back.to_parts(), parts, "the round trip keeps the parts");
        assert_eq!(back.to_string(), text, "and the text");
        assert_eq!(TaskErrorKind::from_name(kind.as_str()), Some(kind));
        assert_eq!(kind.to_string(), kind.as_str());
    }
    assert_eq!(TaskErrorKind::from_name("exploded"), None);
    // A variant without a text ignores one given.
    assert!(TaskError::from_parts(TaskErrorKind::Terminated, "x").is_terminated());
}

#[test]
fn a_thrown_error_from_text_displays_its_text() {
    let err = ThrownError::from_text("stop reading");
    assert_eq!(err.to_string(), "stop reading");
    let text = err.get_ref().downcast_ref::<ErrorText>().unwrap();
    assert_eq!(text.as_str(), "stop reading");
    assert_eq!(text.to_string(), "stop reading");
}

#[pycos::test]
async fn an_uncaught_throw_crosses_as_its_text(task: TaskCtx) {
    let t = Task::new(catch_nothing());
    task.yield_now().await;
    t.throw(std::io::Error::other("stop")).unwrap();
    let err = t.finish().await.unwrap_err();
    assert!(err.is_thrown(), "{err:?}");
    let (kind, text) = err.to_parts();
    assert_eq!((kind, text.as_str()), (TaskErrorKind::Thrown, "stop"));
    match TaskError::from_parts(kind, text) {
        TaskError::Thrown(thrown) => {
            assert!(thrown.get_ref().is::<ErrorText>(), "only the text crossed");
            assert_eq!(thrown.to_string(), "stop");
        }
        other => panic!("unexpected {other:?}"),
    }
}
