//! Fairness of file and pipe operations (DESIGN §3): reads, readlines and
//! writes that complete at once, and waits on a process that has ended,
//! give the other tasks of the scheduler a turn after a bounded number (the
//! cooperative budget). A second task queued behind the busy one records
//! how many operations had happened when it first ran.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pycos::io::{AsyncFile, AsyncPipe};
use pycos::prelude::*;

/// Operations of the busy task: well above one turn's budget.
const OPS: usize = 2_000;

/// The most a busy task may do before the other one runs.
const BOUND: usize = 512;

fn observer(count: Arc<AtomicUsize>) -> TaskSpec<usize> {
    TaskSpec::new("observer", count, |count, _task| async move {
        count.load(Ordering::SeqCst)
    })
}

fn check(seen: usize, what: &str) {
    assert!(
        seen < OPS,
        "the observer ran only after all {OPS} {what}: the busy task never gave way"
    );
    assert!(seen <= BOUND, "the observer ran after {seen} {what}");
}

fn pipe() -> (AsyncFile, AsyncFile) {
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    (
        AsyncFile::new(reader).unwrap(),
        AsyncFile::new(writer).unwrap(),
    )
}

#[pycos::test]
async fn readline_of_buffered_lines_gives_way() {
    let (reader, writer) = pipe();
    // 2 bytes a line: all of them fit in the pipe before reading.
    writer.write_full(&b"x\n".repeat(OPS)).await.unwrap();
    drop(writer);
    let lines = Arc::new(AtomicUsize::new(0));
    let busy = Task::new(TaskSpec::new(
        "reader",
        (reader, lines.clone()),
        |(reader, lines), _task| async move {
            while !reader.readline().await.unwrap().is_empty() {
                lines.fetch_add(1, Ordering::SeqCst);
            }
            lines.load(Ordering::SeqCst)
        },
    ));
    let seen = Task::new(observer(lines)).finish().await.unwrap();
    assert_eq!(busy.finish().await.unwrap(), OPS);
    check(seen, "readlines");
}

#[pycos::test]
async fn writes_with_room_in_the_pipe_give_way() {
    let (reader, writer) = pipe();
    let writes = Arc::new(AtomicUsize::new(0));
    let busy = Task::new(TaskSpec::new(
        "writer",
        (writer, writes.clone()),
        |(writer, writes), _task| async move {
            for _ in 0..OPS {
                // 1 byte each: the pipe takes all of them without waiting.
                assert_eq!(writer.write(b"y").await.unwrap(), 1);
                writes.fetch_add(1, Ordering::SeqCst);
            }
        },
    ));
    let seen = Task::new(observer(writes)).finish().await.unwrap();
    busy.finish().await.unwrap();
    assert_eq!(reader.read(OPS).await.unwrap().len(), OPS);
    check(seen, "writes");
}

#[pycos::test]
async fn waiting_again_on_an_ended_process_gives_way() {
    let child = Command::new("true").stdout(Stdio::null()).spawn().unwrap();
    let pipe = AsyncPipe::new(child).unwrap();
    assert!(pipe.wait().await.unwrap().success());
    let waits = Arc::new(AtomicUsize::new(0));
    let busy = Task::new(TaskSpec::new(
        "waiter",
        (pipe, waits.clone()),
        |(pipe, waits), _task| async move {
            for _ in 0..OPS {
                pipe.wait().await.unwrap();
                waits.fetch_add(1, Ordering::SeqCst);
            }
        },
    ));
    let seen = Task::new(observer(waits)).finish().await.unwrap();
    busy.finish().await.unwrap();
    check(seen, "waits");
}
