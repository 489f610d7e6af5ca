//! Fairness of file and pipe operations (DESIGN §3): reads, readlines and
//! writes that complete at once, and waits on a process that has ended,
//! give the other tasks of the scheduler a turn after a bounded number (the
//! cooperative budget). A second task queued behind the busy one records
//! how many operations had happened when it first ran.

#[path = "support/fairness.rs"]
mod fairness;

use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;

use pycos::io::{AsyncFile, AsyncPipe};
use pycos::prelude::*;

use fairness::{OPS, check};

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
    let (seen, lines) = fairness::race(|lines| {
        TaskSpec::new(
            "reader",
            (reader, lines),
            |(reader, lines), _task| async move {
                while !reader.readline().await.unwrap().is_empty() {
                    lines.fetch_add(1, Ordering::SeqCst);
                }
                lines.load(Ordering::SeqCst)
            },
        )
    })
    .await;
    assert_eq!(lines, OPS);
    check(seen, "readlines");
}

#[pycos::test]
async fn writes_with_room_in_the_pipe_give_way() {
    let (reader, writer) = pipe();
    let (seen, ()) = fairness::race(|writes| {
        TaskSpec::new(
            "writer",
            (writer, writes),
            |(writer, writes), _task| async move {
                for _ in 0..OPS {
                    // 1 byte each: the pipe takes all of them without waiting.
                    assert_eq!(writer.write(b"y").await.unwrap(), 1);
                    writes.fetch_add(1, Ordering::SeqCst);
                }
            },
        )
    })
    .await;
    assert_eq!(reader.read(OPS).await.unwrap().len(), OPS);
    check(seen, "writes");
}

#[pycos::test]
async fn waiting_again_on_an_ended_process_gives_way() {
    let child = Command::new("true").stdout(Stdio::null()).spawn().unwrap();
    let pipe = AsyncPipe::new(child).unwrap();
    assert!(pipe.wait().await.unwrap().success());
    let (seen, ()) = fairness::race(|waits| {
        TaskSpec::new("waiter", (pipe, waits), |(pipe, waits), _task| async move {
            for _ in 0..OPS {
                pipe.wait().await.unwrap();
                waits.fetch_add(1, Ordering::SeqCst);
            }
        })
    })
    .await;
    check(seen, "waits");
}
