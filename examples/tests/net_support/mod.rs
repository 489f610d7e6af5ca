//! Child processes for the multi-process network tests: each one is killed
//! (and reaped) by pid when its guard drops, pass or fail, and its output
//! is read line by line with bounded waits.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any one expected line may take.
pub(crate) const LINE_WAIT: Duration = Duration::from_secs(10);

/// The options that keep a node on loopback, alone, on a free port.
pub(crate) const LOOPBACK: [&str; 5] = ["--no-discover", "--host", "127.0.0.1", "--port", "0"];

/// A running child process: killed and waited for on drop.
pub(crate) struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    /// Lines read and not yet matched by an `expect`, oldest first.
    backlog: VecDeque<String>,
    /// Every line read, for failure messages.
    seen: Vec<String>,
    stderr: Arc<Mutex<String>>,
}

impl Proc {
    /// Starts `bin` with `args`, its stdin, stdout and stderr piped.
    pub(crate) fn spawn(name: &str, bin: &str, args: &[&str]) -> Proc {
        let mut child = Command::new(bin)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("RUST_LOG", "warn")
            .spawn()
            .unwrap_or_else(|err| panic!("{name}: cannot start {bin}: {err}"));
        let (tx, lines) = mpsc::channel();
        read_lines(child.stdout.take().expect("stdout is piped"), move |line| {
            tx.send(line).is_ok()
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let err_text = stderr.clone();
        read_lines(child.stderr.take().expect("stderr is piped"), move |line| {
            let mut text = err_text.lock().unwrap_or_else(|p| p.into_inner());
            text.push_str(&line);
            text.push('\n');
            true
        });
        Proc {
            name: name.to_owned(),
            stdin: child.stdin.take(),
            child,
            lines,
            backlog: VecDeque::new(),
            seen: Vec::new(),
            stderr,
        }
    }

    /// Writes one line to the child's stdin.
    pub(crate) fn send(&mut self, line: &str) {
        let name = self.name.clone();
        let stdin = self
            .stdin
            .as_mut()
            .unwrap_or_else(|| panic!("{name}: stdin closed"));
        writeln!(stdin, "{line}")
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|err| panic!("{name}: cannot write {line:?}: {err}"));
    }

    /// Closes the child's stdin (end of input).
    pub(crate) fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The first line (earlier unmatched ones included) for which `test`
    /// holds, within `limit`; removed from the backlog. Fails naming
    /// `what` and everything read so far.
    pub(crate) fn expect_by(
        &mut self,
        what: &str,
        limit: Duration,
        test: impl Fn(&str) -> bool,
    ) -> String {
        if let Some(at) = self.backlog.iter().position(|l| test(l)) {
            return self.backlog.remove(at).expect("position is in range");
        }
        let deadline = Instant::now() + limit;
        loop {
            match self.next_line(deadline) {
                Ok(line) if test(&line) => return line,
                Ok(line) => self.backlog.push_back(line),
                Err(RecvTimeoutError::Timeout) => {
                    self.fail(&format!("no line {what} within {limit:?}"))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.fail(&format!("output ended before a line {what}"))
                }
            }
        }
    }

    /// The first line starting with `prefix`.
    pub(crate) fn expect_prefix(&mut self, prefix: &str) -> String {
        self.expect_by(&format!("starting {prefix:?}"), LINE_WAIT, |l| {
            l.starts_with(prefix)
        })
    }

    /// Waits for exactly `line`.
    pub(crate) fn expect_line(&mut self, line: &str) {
        self.expect_by(&format!("equal to {line:?}"), LINE_WAIT, |l| l == line);
    }

    /// Sends `command` and waits for exactly `answer`.
    pub(crate) fn ask(&mut self, command: &str, answer: &str) {
        self.send(command);
        self.expect_line(answer);
    }

    /// Fails if a line for which `test` holds is read within `quiet`
    /// (a bounded check that something does not happen).
    pub(crate) fn expect_none(&mut self, what: &str, quiet: Duration, test: impl Fn(&str) -> bool) {
        if let Some(line) = self.backlog.iter().find(|l| test(l)) {
            let line = line.clone();
            self.fail(&format!("unexpected {what}: {line:?}"));
        }
        let deadline = Instant::now() + quiet;
        while let Ok(line) = self.next_line(deadline) {
            if test(&line) {
                self.fail(&format!("unexpected {what}: {line:?}"));
            }
            self.backlog.push_back(line);
        }
    }

    /// The next line read before `deadline`, kept in `seen`.
    fn next_line(&mut self, deadline: Instant) -> Result<String, RecvTimeoutError> {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = self.lines.recv_timeout(left)?;
        self.seen.push(line.clone());
        Ok(line)
    }

    /// The location the child printed on its first line (`... at IP:PORT`).
    pub(crate) fn location(&mut self, prefix: &str) -> String {
        let line = self.expect_prefix(prefix);
        line.rsplit(' ').next().unwrap_or_default().to_owned()
    }

    /// Kills the child with SIGKILL (`kill -9`) and reaps it.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits up to `limit` for the child to exit by itself.
    pub(crate) fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Ok(None) => self.fail(&format!("did not exit within {limit:?}")),
                Err(err) => self.fail(&format!("cannot wait: {err}")),
            }
        }
    }

    /// Waits up to `limit` for the child to exit by itself, and fails
    /// unless it exits successfully.
    pub(crate) fn expect_success(&mut self, limit: Duration) {
        let status = self.wait_exit(limit);
        if !status.success() {
            self.fail(&format!("exited with {status}"));
        }
    }

    /// Sends `quit` and expects a successful exit within 5 s.
    pub(crate) fn quit(&mut self) {
        self.send("quit");
        self.expect_success(Duration::from_secs(5));
    }

    /// What the child wrote to stderr, once it has exited: waits (at
    /// most 2 s) for the reader to have it all.
    #[allow(dead_code)] // not every test file reads stderr
    pub(crate) fn stderr(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let text = self
                .stderr
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if !text.is_empty() || Instant::now() > deadline {
                return text;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Every line read so far.
    pub(crate) fn seen(&self) -> &[String] {
        &self.seen
    }

    fn fail(&self, why: &str) -> ! {
        let stderr = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        panic!(
            "{} (pid {}): {why}\n--- stdout so far ---\n{}\n--- stderr ---\n{}",
            self.name,
            self.child.id(),
            self.seen.join("\n"),
            stderr.trim_end()
        );
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stdin = None;
        self.kill();
    }
}

/// Hands every line of `pipe` to `each` on a thread of its own, until the
/// pipe ends or `each` says stop (`false`).
fn read_lines(
    pipe: impl Read + Send + 'static,
    mut each: impl FnMut(String) -> bool + Send + 'static,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if !each(line) {
                break;
            }
        }
    });
}

/// A TCP port on 127.0.0.1 that was free a moment ago (for a node that
/// must come back at the same place).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}
