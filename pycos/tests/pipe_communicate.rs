//! AsyncPipe with one child: communicate (10 MB on stdout and stderr at
//! once, file input, no input), line and stderr reads, exit status, and a
//! task blocked on a pipe being terminated.

use std::io::ErrorKind;
use std::process::{Command, Stdio};
use std::sync::Arc;

use pycos::io::{AsyncFile, AsyncPipe, Input};
use pycos::prelude::*;

fn spawn(cmd: &mut Command) -> AsyncPipe {
    let child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    AsyncPipe::new(child).unwrap()
}

#[pycos::test]
async fn communicate_ten_megabytes_on_stdout_and_stderr() {
    const SIZE: usize = 10 * 1024 * 1024;
    // tee copies stdin to stdout and to stderr as it reads: all three
    // pipes are busy at once, and each holds only 64 KiB.
    let pipe = spawn(Command::new("tee").arg("/dev/stderr"));
    let input: Vec<u8> = (0..SIZE).map(|i| (i % 251) as u8).collect();
    let (out, err) = pipe
        .communicate(input.clone())
        .timeout(60.0)
        .await
        .expect("no deadlock")
        .unwrap();
    let (out, err) = (out.unwrap(), err.unwrap());
    assert_eq!(out.len(), SIZE);
    assert_eq!(err.len(), SIZE);
    assert!(out == input && err == input);
    assert!(pipe.poll().unwrap().unwrap().success());
}

#[pycos::test]
async fn communicate_without_input_closes_stdin() {
    let pipe = spawn(&mut Command::new("cat"));
    let (out, err) = pipe.communicate(Input::None).await.unwrap();
    assert_eq!(out, Some(Vec::new()));
    assert_eq!(err, Some(Vec::new()));
    assert!(pipe.stdin().is_none(), "communicate closes stdin");
}

#[pycos::test]
async fn communicate_from_a_file_and_unpiped_streams() {
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("pipe_input-{}", std::process::id()));
    std::fs::write(&path, "one\ntwo\nthree\n").unwrap();
    let child = Command::new("wc")
        .arg("-l")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = AsyncPipe::new(child).unwrap();
    let (out, err) = pipe
        .communicate(AsyncFile::open(&path).unwrap())
        .await
        .unwrap();
    assert_eq!(String::from_utf8(out.unwrap()).unwrap().trim(), "3");
    assert_eq!(err, None, "stderr was not piped");
    assert_eq!(
        pipe.read_stderr(10).await.unwrap_err().kind(),
        ErrorKind::NotConnected
    );
}

#[pycos::test]
async fn lines_from_stdout_and_stderr() {
    let pipe = spawn(Command::new("sh").args([
        "-c",
        "echo out1; echo err1 >&2; echo out2; printf tail; echo err2 >&2",
    ]));
    assert_eq!(pipe.readline().await.unwrap(), b"out1\n");
    assert_eq!(pipe.readline().await.unwrap(), b"out2\n");
    assert_eq!(pipe.readline().await.unwrap(), b"tail");
    assert_eq!(pipe.readline().await.unwrap(), b"", "end of stdout");
    assert_eq!(pipe.readline_stderr().await.unwrap(), b"err1\n");
    assert_eq!(pipe.read_stderr(0).await.unwrap(), b"err2\n");
    assert!(pipe.wait().await.unwrap().success());
}

#[pycos::test]
async fn write_read_and_exit_status() {
    let pipe = spawn(Command::new("sh").args(["-c", "read line; echo \"got $line\"; exit 3"]));
    assert_eq!(pipe.write(b"hello\n").await.unwrap(), 6);
    assert_eq!(pipe.read(0).await.unwrap(), b"got hello\n");
    let status = pipe.wait().await.unwrap();
    assert_eq!(status.code(), Some(3));
    assert_eq!(pipe.poll().unwrap().unwrap().code(), Some(3));
    // The process is gone: writing fails instead of raising SIGPIPE.
    let err = pipe.write_full(&vec![0; 1 << 20]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BrokenPipe);
}

#[task]
fn reader(pipe: Arc<AsyncPipe>) -> usize {
    pipe.read(100).await.unwrap().len()
}

#[pycos::test]
async fn terminate_a_task_blocked_on_a_pipe(task: TaskCtx) {
    let pipe = Arc::new(spawn(&mut Command::new("cat")));
    let blocked = Task::new(reader(pipe.clone()));
    task.sleep(0.05).await;
    blocked.terminate().unwrap();
    assert!(matches!(blocked.finish().await, Err(TaskError::Terminated)));
    // The pipe still works for the next reader.
    let next = Task::new(reader(pipe.clone()));
    pipe.write_full(b"1234").await.unwrap();
    assert_eq!(next.finish().await.unwrap(), 4);
    pipe.close_stdin();
    assert!(pipe.wait().await.unwrap().success());
}

#[pycos::test]
async fn kill_ends_the_process() {
    let pipe = spawn(&mut Command::new("cat"));
    assert!(pipe.poll().unwrap().is_none());
    assert!(pipe.id() > 0);
    pipe.kill().unwrap();
    assert!(!pipe.wait().await.unwrap().success());
    assert_eq!(pipe.read(0).await.unwrap(), b"");
}
