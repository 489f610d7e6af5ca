//! The remote function and message of `rps_log_watch_server` and
//! `rps_log_watch_client`: a task at the server runs `tail -F FILE |
//! grep -i --line-buffered PATTERN` behind one [`AsyncPipe`] and sends
//! every line it reads to the client's task, until the client goes away
//! or its proxy is closed (which terminates the task: the pipeline is
//! then killed and reaped).
//!
//! Defined in the library so that both programs link the same
//! [`RemoteFn`](pycos::rps::RemoteFn) type. The file and the pattern are
//! the server's: its program sets them with [`watch`] before it
//! registers the function. The task prints its own lines on the server's
//! stdout (`watching FILE for CLIENT`, `stopped watching FILE for
//! CLIENT`, `pipeline of FILE ended`).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};

use pycos::prelude::*;
use pycos::{Message, Task};
use serde::{Deserialize, Serialize};

/// One matching line, as the server's task sends it to the client.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::rps_log_watch::LogLine")]
pub struct LogLine {
    /// The task at the server that read it.
    pub from: Task,
    /// The line, without its newline.
    pub line: String,
}

/// What the server watches: the file and the `grep` pattern.
static WATCHED: OnceLock<(PathBuf, String)> = OnceLock::new();

/// Sets the file and the pattern of every watch (the first call wins);
/// `false` if they were set already.
pub fn watch(file: PathBuf, pattern: String) -> bool {
    WATCHED.set((file, pattern)).is_ok()
}

/// Kills the pipeline when the task's body is dropped, however it ends
/// (`close` at the client terminates it), and reaps it in a task.
struct Pipeline {
    pipe: Arc<AsyncPipe>,
    file: String,
    client: String,
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        let _ = self.pipe.kill();
        println!("stopped watching {} for {}", self.file, self.client);
        Task::new(reap(self.pipe.clone(), self.file.clone()));
    }
}

#[task]
fn reap(pipe: Arc<AsyncPipe>, file: String) {
    match pipe.wait().timeout(10.0).await {
        Some(_) => println!("pipeline of {file} ended"),
        None => println!("pipeline of {file} did not end"),
    }
}

/// Starts `tail -F FILE | grep -i --line-buffered PATTERN`.
fn start(file: &std::path::Path, pattern: &str) -> std::io::Result<AsyncPipe> {
    let mut tail = Command::new("tail")
        .arg("-F")
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let tail_out = tail
        .stdout
        .take()
        .ok_or_else(|| std::io::Error::other("tail has no stdout"))?;
    let grep = Command::new("grep")
        .args(["-i", "--line-buffered", "-e", pattern])
        .stdin(tail_out)
        .stdout(Stdio::piped())
        .spawn();
    match grep {
        Ok(grep) => AsyncPipe::chain(tail, grep),
        Err(err) => {
            let _ = tail.kill();
            let _ = tail.wait();
            Err(err)
        }
    }
}

/// Watches the server's file for `client`: every line that matches the
/// pattern goes to `client` as a [`LogLine`]. Ends when `client` cannot
/// be reached (or the pipeline ends); fails if the pipeline cannot start.
#[task(remote, name = "pycos_examples::rps_log_watch::rps_log_monitor")]
pub fn rps_log_monitor(client: Task, task: TaskCtx) -> Result<(), String> {
    let (file, pattern) = WATCHED.get().ok_or("no file to watch")?;
    let pipe = Arc::new(start(file, pattern).map_err(|err| format!("tail | grep: {err}"))?);
    let guard = Pipeline {
        pipe: pipe.clone(),
        file: file.display().to_string(),
        client: client.to_string(),
    };
    println!("watching {} for {}", guard.file, guard.client);
    loop {
        let line = match pipe.readline().await {
            Ok(line) if !line.is_empty() => line,
            _ => break,
        };
        let line = String::from_utf8_lossy(&line).trim_end().to_owned();
        let msg = LogLine {
            from: task.handle(),
            line,
        };
        if let Err(err) = client.send(msg) {
            println!("cannot send to {client}: {err}");
            break;
        }
    }
    Ok(())
}
