//! Chained processes (pycos' pipe_grep: `grep | wc`): one process's stdout
//! is the next one's stdin; the AsyncPipe writes to the first and reads
//! from the last, and a writer and a reader task share it.

use std::process::{Command, Stdio};
use std::sync::Arc;

use pycos::io::AsyncPipe;
use pycos::prelude::*;

fn grep_wc() -> AsyncPipe {
    let grep = Command::new("grep")
        .args(["-i", "error"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut grep = grep;
    let grep_out = grep.stdout.take().unwrap();
    let wc = Command::new("wc")
        .stdin(grep_out)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    AsyncPipe::chain(grep, wc).unwrap()
}

#[task]
fn writer(pipe: Arc<AsyncPipe>, lines: Vec<String>) {
    for line in lines {
        pipe.write_full(line.as_bytes()).await.unwrap();
    }
    pipe.close_stdin();
}

#[task]
fn line_reader(pipe: Arc<AsyncPipe>) -> Vec<String> {
    let mut lines = Vec::new();
    loop {
        let line = pipe.readline().await.unwrap();
        if line.is_empty() {
            return lines;
        }
        lines.push(String::from_utf8(line).unwrap());
    }
}

#[pycos::test]
async fn grep_into_wc_like_pipe_grep() {
    let pipe = Arc::new(grep_wc());
    let lines: Vec<String> = (0..1000)
        .map(|i| {
            if i % 10 == 0 {
                format!("line {i}: ERROR here\n")
            } else {
                format!("line {i}: fine\n")
            }
        })
        .collect();
    let reader = Task::new(line_reader(pipe.clone()));
    Task::new(writer(pipe.clone(), lines));
    let out = reader.finish().await.unwrap();
    assert_eq!(out.len(), 1);
    let counts: Vec<usize> = out[0]
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(
        counts[..2],
        [100, 400],
        "lines and words of the matches: {out:?}"
    );
    assert!(pipe.wait().await.unwrap().success());
}

#[pycos::test]
async fn communicate_through_a_chain() {
    let pipe = grep_wc();
    let (out, err) = pipe
        .communicate("error one\nno\nError two\n")
        .await
        .unwrap();
    let text = String::from_utf8(out.unwrap()).unwrap();
    assert_eq!(text.split_whitespace().next(), Some("2"));
    assert_eq!(err, None);
}
