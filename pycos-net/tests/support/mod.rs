//! What the multi-process tests share: children that are this test binary
//! re-run in a role (killed by pid when the test ends, passed or failed),
//! their reports on stdout, bounded waits for them, and on the child side
//! a tracing subscriber that reports the node's log lines so the parent
//! can check what the node itself saw.
//!
//! Each test binary uses a part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// The env var naming a child's role.
pub(crate) const ROLE: &str = "PYCOS_TEST_ROLE";
/// What starts every report line.
pub(crate) const PREFIX: &str = "PYCOS-CHILD ";

/// Children of one test, and every report they made so far.
pub(crate) struct Children {
    children: Vec<(Child, Option<ChildStdin>)>,
    lines_tx: Sender<(usize, String)>,
    lines: Receiver<(usize, String)>,
    /// Every report so far: (child index, line without the prefix).
    pub(crate) seen: Vec<(usize, String)>,
    /// Namespaces to delete after the children are killed.
    pub(crate) namespaces: Vec<String>,
}

impl Default for Children {
    fn default() -> Self {
        Self::new()
    }
}

impl Children {
    pub(crate) fn new() -> Children {
        let (lines_tx, lines) = mpsc::channel();
        Children {
            children: Vec::new(),
            lines_tx,
            lines,
            seen: Vec::new(),
            namespaces: Vec::new(),
        }
    }

    /// Runs this test binary's `entry` test in `role` (inside network
    /// namespace `netns` if given); the child's index.
    pub(crate) fn spawn(
        &mut self,
        entry: &str,
        role: &str,
        env: &[(&str, String)],
        netns: Option<&str>,
    ) -> usize {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut cmd = match netns {
            Some(ns) => {
                let mut cmd = Command::new("ip");
                cmd.args(["netns", "exec", ns]).arg(exe);
                cmd
            }
            None => Command::new(exe),
        };
        let mut child = cmd
            .args([entry, "--exact", "--nocapture", "--test-threads=1"])
            .env(ROLE, role)
            .envs(env.iter().map(|(k, v)| (*k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start a child");
        let index = self.children.len();
        let stdout = child.stdout.take().expect("piped stdout");
        let tx = self.lines_tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // libtest may have printed `test entry ... ` first.
                if let Some(at) = line.find(PREFIX) {
                    let _ = tx.send((index, line[at + PREFIX.len()..].to_owned()));
                }
            }
        });
        let stdin = child.stdin.take();
        self.children.push((child, stdin));
        index
    }

    /// The process id of child `index`.
    pub(crate) fn pid(&self, index: usize) -> u32 {
        self.children[index].0.id()
    }

    /// Tells child `index` one line.
    pub(crate) fn tell(&mut self, index: usize, line: &str) {
        let stdin = self.children[index].1.as_mut().expect("child stdin");
        writeln!(stdin, "{line}").expect("write to the child");
        stdin.flush().expect("flush to the child");
    }

    /// How many reports were seen so far: a mark for [`wait_line`].
    pub(crate) fn mark(&mut self) -> usize {
        self.drain();
        self.seen.len()
    }

    fn drain(&mut self) {
        while let Ok(report) = self.lines.try_recv() {
            self.seen.push(report);
        }
    }

    /// Waits (at most `limit`) for a report of `child` at or after `from`
    /// that `test` accepts; the line.
    pub(crate) fn wait_line(
        &mut self,
        child: usize,
        from: usize,
        limit: Duration,
        what: &str,
        mut test: impl FnMut(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + limit;
        let mut looked = from;
        loop {
            while looked < self.seen.len() {
                let (i, line) = &self.seen[looked];
                looked += 1;
                if *i == child && test(line) {
                    return line.clone();
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(report) => self.seen.push(report),
                Err(_) => panic!(
                    "{what}: not within {limit:?}; reports since the mark: {:#?}",
                    &self.seen[from.min(self.seen.len())..]
                ),
            }
        }
    }

    /// Reports of `child` at or after `from` that `test` accepts (those
    /// arrived so far).
    pub(crate) fn lines_since(
        &mut self,
        child: usize,
        from: usize,
        mut test: impl FnMut(&str) -> bool,
    ) -> Vec<String> {
        self.drain();
        self.seen[from..]
            .iter()
            .filter(|(i, line)| *i == child && test(line))
            .map(|(_, line)| line.clone())
            .collect()
    }

    /// Collects reports for `window`.
    pub(crate) fn collect_for(&mut self, window: Duration) {
        let deadline = Instant::now() + window;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(report) => self.seen.push(report),
                Err(_) => break,
            }
        }
    }
}

impl Children {
    /// The location child `who` reports in its `at IP:PORT` line.
    pub(crate) fn location(&mut self, who: usize, limit: Duration) -> pycos_net::Location {
        let line = self.wait_line(who, 0, limit, "the child's location", |l| {
            l.starts_with("at ")
        });
        line[3..]
            .parse()
            .unwrap_or_else(|err| panic!("the child reported {line:?}: {err}"))
    }
}

/// Two network namespaces `pycos-<tag>-<pid>-{a,b}` joined by a veth
/// pair (`ifs[0]` in the first, `ifs[1]` in the second) with
/// `<net>.1/24` and `<net>.2/24` on it and `lo` up in both; registered
/// in `children`, so they are deleted after its children are killed.
/// `None` (having printed why) when namespaces cannot be made here (not
/// root): the caller then skips its test.
pub(crate) fn veth_pair(
    children: &mut Children,
    tag: &str,
    net: &str,
    ifs: [&str; 2],
) -> Option<[String; 2]> {
    let pid = std::process::id();
    for side in ["a", "b"] {
        let name = format!("pycos-{tag}-{pid}-{side}");
        if let Err(why) = ip(&["netns", "add", &name]) {
            println!("skipped: cannot create network namespaces: {why}");
            return None;
        }
        children.namespaces.push(name);
    }
    let n = children.namespaces.len();
    let (a, b) = (
        children.namespaces[n - 2].clone(),
        children.namespaces[n - 1].clone(),
    );
    let (addr_a, addr_b) = (format!("{net}.1/24"), format!("{net}.2/24"));
    let [if_a, if_b] = ifs;
    let setup = [
        vec![
            "-n", &a, "link", "add", if_a, "type", "veth", "peer", "name", if_b, "netns", &b,
        ],
        vec!["-n", &a, "addr", "add", &addr_a, "dev", if_a],
        vec!["-n", &b, "addr", "add", &addr_b, "dev", if_b],
        vec!["-n", &a, "link", "set", if_a, "up"],
        vec!["-n", &b, "link", "set", if_b, "up"],
        vec!["-n", &a, "link", "set", "lo", "up"],
        vec!["-n", &b, "link", "set", "lo", "up"],
    ];
    for args in setup {
        if let Err(why) = ip(&args) {
            panic!("namespaces were created but cannot be wired: {why}");
        }
    }
    Some([a, b])
}

/// A node on 127.0.0.1 (any free port) without discovery: where every
/// test node starts.
pub(crate) fn loopback(name: &str) -> pycos_net::NodeBuilder {
    pycos_net::Node::builder()
        .name(name)
        .host(std::net::Ipv4Addr::LOCALHOST.into())
        .tcp_port(0)
        .discover(false)
}

impl Drop for Children {
    fn drop(&mut self) {
        for (child, stdin) in &mut self.children {
            drop(stdin.take());
            let _ = child.kill(); // by pid (`ip netns exec` execs the binary)
            let _ = child.wait();
        }
        for name in &self.namespaces {
            if let Err(why) = ip(&["netns", "del", name]) {
                eprintln!("cannot delete network namespace {name}: {why}");
            }
        }
    }
}

/// Runs `ip args`; its stderr when it fails.
pub(crate) fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `ip`: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`ip {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

// ---------------------------------------------------------------- children

/// Reports one line to the parent.
pub(crate) fn report(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{PREFIX}{line}");
    let _ = out.flush();
}

/// Ends the child after `lifetime` should its parent vanish.
pub(crate) fn limit_lifetime(lifetime: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(lifetime);
        std::process::exit(3);
    });
}

/// The env var `name`, which the parent must have set.
pub(crate) fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// Reports every event of pycos-net at DEBUG or above as
/// `log LEVEL message field=value…`.
pub(crate) fn report_node_log() {
    tracing::subscriber::set_global_default(LogReporter).expect("the first subscriber");
}

struct LogReporter;

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

impl tracing::Subscriber for LogReporter {
    fn enabled(&self, meta: &tracing::Metadata<'_>) -> bool {
        *meta.level() <= tracing::Level::DEBUG && meta.target().starts_with("pycos_net")
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let text = fields.0.replace('\n', " ");
        report(&format!("log {} {text}", event.metadata().level()));
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
