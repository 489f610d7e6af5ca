//! `send_file` and `del_file` between two node processes on loopback:
//! content, times and mode kept; pycos' rules for an identical, a
//! different and an oversized file; every way out of `dest_path`
//! refused; a broken transfer resumed; a sender killed mid-transfer
//! leaving no partial file; memory flat for a gigabyte; and messages
//! between the same two nodes flowing during a large transfer.
//!
//! Each test runs two children (this binary re-run as `files_child`, one
//! node each, killed by pid when the test ends): A sends, B receives.
//! The parent tells a child commands on its standard input (`send LOC
//! PATH DIR OVERWRITE`, `del …`, `close-when …`, …) and reads its
//! reports; it looks at both `dest_path`s on disk itself.

mod support;

use std::fs::{self, File, FileTimes};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pycos::prelude::*;
use pycos_net::{FileError, Location, Node, SentFile};
use serde::{Deserialize, Serialize};
use support::{Children, ROLE, env, report};

const ENTRY: &str = "files_child";
/// How long a short command may take.
const WAIT: Duration = Duration::from_secs(20);
/// How long a large transfer may take (a debug build, two busy cores).
const TRANSFER: Duration = Duration::from_secs(180);
/// The time limit each child gives each answer of its peer.
const ANSWER_LIMIT: Duration = Duration::from_secs(20);
const MIB: u64 = 1 << 20;

/// A round trip to B's `echo` task, answered with `.1`.
#[derive(Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "net_files::Ping")]
struct Ping(Task, u64);

// ----------------------------------------------------------------- child

#[test]
fn files_child() {
    if std::env::var(ROLE).is_err() {
        return;
    }
    support::limit_lifetime(Duration::from_secs(300));
    support::report_node_log();
    let mut builder = support::loopback(&env("FILES_NAME")).dest_path(env("FILES_DEST"));
    if let Ok(max) = std::env::var("FILES_MAX") {
        builder = builder.max_file_size(max.parse().expect("FILES_MAX"));
    }
    if let Ok(ms) = std::env::var("FILES_TIMEOUT_MS") {
        let ms = ms.parse().expect("FILES_TIMEOUT_MS");
        builder = builder.msg_timeout(Duration::from_millis(ms));
    }
    let node = builder.start().expect("the node starts");
    Pycos::instance().spawn(echo());
    report(&format!("at {}", node.location()));
    for line in std::io::stdin().lines().map_while(Result::ok) {
        let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        Pycos::instance().spawn(command(node.clone(), words));
    }
}

/// Answers every [`Ping`].
#[task]
fn echo(task: TaskCtx) {
    task.set_daemon(true);
    task.register("echo").expect("the name is free");
    loop {
        let msg = task.receive().await;
        if let Some(Ping(from, n)) = msg.downcast_ref::<Ping>() {
            let _ = from.send(*n);
        }
    }
}

/// `-` is no directory.
fn dir_arg(word: &str) -> Option<&str> {
    (word != "-").then_some(word)
}

/// Runs one command of the parent and reports its outcome.
#[task]
fn command(node: Node, words: Vec<String>, task: TaskCtx) {
    let loc = |i: usize| -> Location { words[i].parse().expect("a location") };
    match words[0].as_str() {
        "peer" => match node.peer(loc(1)).await {
            Ok(()) => report("peer ok"),
            Err(err) => report(&format!("peer err {err}")),
        },
        "send" => {
            let dir = dir_arg(&words[3]);
            let sent = node
                .send_file(loc(1), &words[2], dir, words[4] == "1", ANSWER_LIMIT)
                .await;
            report(&sent_line(&sent));
        }
        "send-pinged" => send_pinged(&node, loc(1), &words[2]).await,
        "del" => {
            let deleted = node
                .del_file(loc(1), &words[2], dir_arg(&words[3]), ANSWER_LIMIT)
                .await;
            match deleted {
                Ok(()) => report("del ok"),
                Err(err) => report(&format!("del err {}: {err}", kind(&err))),
            }
        }
        "close-when" => {
            // Closes the link once B's partial file has this many bytes.
            let (part, bytes) = (&words[1], words[2].parse::<u64>().expect("bytes"));
            let deadline = Instant::now() + WAIT;
            let mut len = 0;
            while Instant::now() < deadline {
                len = fs::metadata(part).map_or(0, |m| m.len());
                if len >= bytes {
                    break;
                }
                task.sleep(0.001).await;
            }
            node.close_peer(loc(3));
            report(&format!("closed at {len}"));
        }
        "rss-reset" => {
            // Resets VmHWM to the current RSS (Linux `clear_refs` 5).
            fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
            report(&format!("rss {}", status_kb("VmRSS")));
        }
        "hwm" => report(&format!("hwm {}", status_kb("VmHWM"))),
        "set-dest" => match node.set_dest_path(&words[1]) {
            Ok(path) => report(&format!("dest {}", path.display())),
            Err(err) => report(&format!("dest err {err}")),
        },
        "dest" => report(&format!("dest {}", node.dest_path().display())),
        other => report(&format!("unknown command {other}")),
    }
}

/// A line of `/proc/self/status`, in kB.
fn status_kb(field: &str) -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

fn kind(err: &FileError) -> &'static str {
    let kinds = [
        (err.is_exists(), "exists"),
        (err.is_unreadable(), "unreadable"),
        (err.is_escape(), "escape"),
        (err.is_unknown_peer(), "unknown-peer"),
        (err.is_oversize(), "oversize"),
        (err.is_not_found(), "not-found"),
        (err.is_io(), "io"),
        (err.is_interrupted(), "interrupted"),
        (err.is_unreachable(), "unreachable"),
        (err.is_timed_out(), "timed-out"),
    ];
    kinds
        .iter()
        .find(|(is, _)| *is)
        .map_or("none", |(_, name)| name)
}

fn sent_line(sent: &Result<SentFile, FileError>) -> String {
    match sent {
        Ok(s) => format!(
            "sent ok size={} from={} bytes={} identical={}",
            s.size(),
            s.resumed_at(),
            s.bytes_sent(),
            s.was_identical()
        ),
        Err(err) => format!("sent err {}: {err}", kind(err)),
    }
}

/// Sends `path` to B while a task makes round trips to B's `echo`;
/// reports the transfer, then the round trips made during it.
async fn send_pinged(node: &Node, to: Location, path: &str) {
    let Some(echo) = node.locate_task("echo", Some(to), WAIT).await else {
        report("pings err no echo task");
        return;
    };
    let stop = Arc::new(AtomicBool::new(false));
    let pinger = Pycos::instance().spawn(pings(echo, stop.clone()));
    let sent = node.send_file(to, path, None, true, ANSWER_LIMIT).await;
    stop.store(true, Ordering::Relaxed);
    report(&sent_line(&sent));
    match pinger.finish().await {
        Ok((n, slowest)) => report(&format!("pings {n} slowest_ms {:.1}", slowest * 1e3)),
        Err(err) => report(&format!("pings err {err}")),
    }
}

/// Round trips until `stop`: how many, and the slowest (seconds; a trip
/// not answered within 5 s ends the count as infinitely slow).
#[task]
fn pings(echo: Task, stop: Arc<AtomicBool>, task: TaskCtx) -> (u64, f64) {
    let me = task.handle();
    let (mut n, mut slowest) = (0, 0.0_f64);
    while !stop.load(Ordering::Relaxed) {
        let start = Instant::now();
        if echo.send(Ping(me.clone(), n)).is_err() {
            return (n, f64::INFINITY);
        }
        if task.receive().timeout(5.0).await.is_none() {
            return (n, f64::INFINITY);
        }
        slowest = slowest.max(start.elapsed().as_secs_f64());
        n += 1;
    }
    (n, slowest)
}

// ---------------------------------------------------------------- parent

/// A folder of the test's own, deleted when it ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("pycos-net-files-{}-{tag}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("the scratch folder");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Sender A and receiver B, A linked to B.
struct Pair {
    kids: Children,
    a: usize,
    b: usize,
    at_b: Location,
    dest_a: PathBuf,
    dest_b: PathBuf,
    /// For the sources and whatever lies outside both `dest_path`s.
    work: PathBuf,
    _scratch: Scratch,
}

impl Pair {
    /// Starts both; `b_env` adds B's settings.
    fn new(tag: &str, b_env: &[(&str, String)]) -> Pair {
        let scratch = Scratch::new(tag);
        let (dest_a, dest_b, work) = (
            scratch.0.join("dest-a"),
            scratch.0.join("dest-b"),
            scratch.0.join("work"),
        );
        fs::create_dir_all(&work).expect("the work folder");
        let mut kids = Children::new();
        let a_env = [
            ("FILES_NAME", "a".to_owned()),
            ("FILES_DEST", dest_a.display().to_string()),
        ];
        let mut env_b = vec![
            ("FILES_NAME", "b".to_owned()),
            ("FILES_DEST", dest_b.display().to_string()),
        ];
        env_b.extend(b_env.iter().cloned());
        let a = kids.spawn(ENTRY, "a", &a_env, None);
        let b = kids.spawn(ENTRY, "b", &env_b, None);
        kids.location(a, WAIT);
        let at_b = kids.location(b, WAIT);
        assert!(dest_b.is_dir(), "B created its dest_path at start");
        let mut pair = Pair {
            kids,
            a,
            b,
            at_b,
            dest_a,
            dest_b,
            work,
            _scratch: scratch,
        };
        let linked = pair.ask(pair.a, &format!("peer {at_b}"), "peer ", WAIT);
        assert_eq!(linked, "peer ok");
        pair
    }

    /// Tells `who` a command and waits for its report starting `prefix`.
    fn ask(&mut self, who: usize, line: &str, prefix: &str, limit: Duration) -> String {
        let mark = self.kids.mark();
        self.kids.tell(who, line);
        self.kids
            .wait_line(who, mark, limit, &format!("the answer to `{line}`"), |l| {
                l.starts_with(prefix)
            })
    }

    /// A sends `path` to B into `dir` (`-`: none).
    fn send(&mut self, path: &Path, dir: &str, overwrite: bool) -> String {
        let line = format!(
            "send {} {} {dir} {}",
            self.at_b,
            path.display(),
            u8::from(overwrite)
        );
        self.ask(self.a, &line, "sent ", TRANSFER)
    }

    fn del(&mut self, name: &str, dir: &str) -> String {
        let line = format!("del {} {name} {dir}", self.at_b);
        self.ask(self.a, &line, "del ", WAIT)
    }
}

/// `sent ok …` or panics with the line.
fn sent_ok(line: &str) -> Sent {
    let Some(rest) = line.strip_prefix("sent ok ") else {
        panic!("the transfer should succeed: {line}");
    };
    let field = |name: &str| -> String {
        rest.split(' ')
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .unwrap_or_else(|| panic!("no {name} in {line}"))
            .to_owned()
    };
    Sent {
        size: field("size").parse().unwrap(),
        from: field("from").parse().unwrap(),
        bytes: field("bytes").parse().unwrap(),
        identical: field("identical") == "true",
    }
}

#[derive(Debug)]
struct Sent {
    size: u64,
    from: u64,
    bytes: u64,
    identical: bool,
}

/// Asserts `line` is `sent err KIND: …` (or `del err`).
fn assert_err(line: &str, verb: &str, want: &str) {
    let prefix = format!("{verb} err {want}: ");
    assert!(line.starts_with(&prefix), "expected {prefix}…, got {line}");
}

/// A file of `size` pseudo-random bytes (seeded), written a MiB at a time.
fn random_file(path: &Path, size: u64, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = File::create(path).expect("create the source");
    let mut buf = vec![0_u8; MIB as usize];
    let mut left = size;
    while left > 0 {
        let n = left.min(MIB) as usize;
        rng.fill(&mut buf[..n]);
        out.write_all(&buf[..n]).expect("write the source");
        left -= n as u64;
    }
}

/// A sparse file of `size` bytes (a hole: no disk, all zeros).
fn sparse_file(path: &Path, size: u64) {
    File::create(path)
        .and_then(|f| f.set_len(size))
        .expect("a sparse file");
}

/// SHA-256 of a file, read a MiB at a time.
fn hash(path: &Path) -> Vec<u8> {
    let mut file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buf = vec![0_u8; MIB as usize];
    loop {
        let n = file.read(&mut buf).expect("read");
        if n == 0 {
            return ctx.finish().as_ref().to_vec();
        }
        ctx.update(&buf[..n]);
    }
}

/// Every file and directory under `root`, relative, sorted.
fn tree(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_owned()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.map_while(Result::ok) {
            let path = entry.path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Sets a file's mode and its times to 2001-09-09 01:46:40.123456789.
fn stamp(path: &Path, mode: u32) -> SystemTime {
    let when = UNIX_EPOCH + Duration::new(1_000_000_000, 123_456_789);
    let file = File::options().write(true).open(path).expect("open");
    file.set_times(FileTimes::new().set_modified(when).set_accessed(when))
        .expect("set the times");
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("set the mode");
    when
}

#[test]
fn a_file_arrives_whole_with_its_times_and_mode() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut pair = Pair::new("plain", &[]);
    let source = pair.work.join("data.bin");
    random_file(&source, 3 * MIB + 12_345, 1);
    let when = stamp(&source, 0o640);

    let sent = sent_ok(&pair.send(&source, "sub/dir", false));
    assert_eq!(
        (sent.size, sent.from, sent.identical),
        (3 * MIB + 12_345, 0, false)
    );
    let landed = pair.dest_b.join("sub/dir/data.bin");
    // The times before anything reads the file (a read moves its atime).
    let meta = fs::metadata(&landed).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640, "the mode is kept");
    assert_eq!(
        meta.modified().unwrap(),
        when,
        "the mtime is kept to the nanosecond"
    );
    assert_eq!(meta.accessed().unwrap(), when, "the atime is kept");
    assert_eq!(hash(&landed), hash(&source), "the content arrived intact");
    assert_eq!(
        tree(&pair.dest_b),
        ["sub", "sub/dir", "sub/dir/data.bin"],
        "no partial file is left"
    );
    assert!(tree(&pair.dest_a).is_empty(), "the sender wrote nothing");

    // The same file again: there already, nothing sent.
    let again = sent_ok(&pair.send(&source, "sub/dir", false));
    assert!(again.identical && again.bytes == 0, "identical: {again:?}");

    // A different file of that name, without and then with overwrite.
    random_file(&source, 3 * MIB, 2);
    let refused = pair.send(&source, "sub/dir", false);
    assert_err(&refused, "sent", "exists");
    assert_ne!(hash(&landed), hash(&source), "the old file was left alone");
    let replaced = sent_ok(&pair.send(&source, "sub/dir", true));
    assert_eq!((replaced.from, replaced.identical), (0, false));
    assert_eq!(hash(&landed), hash(&source), "overwritten");

    // No directory: straight into dest_path.
    sent_ok(&pair.send(&source, "-", false));
    assert_eq!(hash(&pair.dest_b.join("data.bin")), hash(&source));
}

#[test]
fn refusals_come_before_anything_is_written() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut pair = Pair::new("refuse", &[("FILES_MAX", MIB.to_string())]);
    let outside = pair.work.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::create_dir_all(pair.dest_b.join("real")).unwrap();
    std::os::unix::fs::symlink(&outside, pair.dest_b.join("out")).unwrap();
    std::os::unix::fs::symlink(pair.dest_b.join("real"), pair.dest_b.join("in")).unwrap();
    let before = tree(&pair.dest_b);

    // Not readable regular files.
    let fifo = pair.work.join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    for source in [pair.work.join("missing"), pair.work.clone(), fifo] {
        assert_err(&pair.send(&source, "-", false), "sent", "unreadable");
    }

    let small = pair.work.join("small.bin");
    random_file(&small, 1000, 3);
    // Ways out of dest_path: lexical (refused by the sender), and a link
    // in dest_path to a folder outside (refused by the receiver).
    for dir in ["/abs", "..", "a/../../b", "out", "out/deeper"] {
        assert_err(&pair.send(&small, dir, false), "sent", "escape");
    }
    assert!(
        tree(&outside).is_empty(),
        "nothing was made outside: {:?}",
        tree(&outside)
    );

    // Not a peer.
    let line = "send 127.0.0.1:1 ".to_owned() + &small.display().to_string() + " - 0";
    assert_err(
        &pair.ask(pair.a, &line, "sent ", WAIT),
        "sent",
        "unknown-peer",
    );

    // Over B's max_file_size: refused before any directory or file.
    let big = pair.work.join("big.bin");
    random_file(&big, MIB + 1, 4);
    assert_err(&pair.send(&big, "big", false), "sent", "oversize");
    assert_eq!(
        tree(&pair.dest_b),
        before,
        "nothing was written for the big file"
    );

    // A link inside dest_path that stays inside is followed; exactly the
    // limit is accepted.
    sent_ok(&pair.send(&small, "in", false));
    assert_eq!(hash(&pair.dest_b.join("real/small.bin")), hash(&small));
    let limit = pair.work.join("limit.bin");
    random_file(&limit, MIB, 5);
    sent_ok(&pair.send(&limit, "-", false));
    assert_eq!(hash(&pair.dest_b.join("limit.bin")), hash(&limit));
}

#[test]
fn del_file_removes_the_file_and_the_folders_it_emptied() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut pair = Pair::new("del", &[]);
    let outside = pair.work.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("victim.txt"), b"keep me").unwrap();
    std::os::unix::fs::symlink(&outside, pair.dest_b.join("out")).unwrap();
    let source = pair.work.join("victim.txt");
    fs::write(&source, b"sent to be deleted").unwrap();
    sent_ok(&pair.send(&source, "d1/d2", false));
    sent_ok(&pair.send(&source, "d1", false));

    // The sender's path names the file by its basename.
    assert_eq!(pair.del(&source.display().to_string(), "d1/d2"), "del ok");
    assert!(
        !pair.dest_b.join("d1/d2").exists(),
        "the emptied folder went too"
    );
    assert!(
        pair.dest_b.join("d1/victim.txt").exists(),
        "d1 still has a file"
    );
    assert_err(&pair.del("victim.txt", "d1/d2"), "del", "not-found");
    assert_err(&pair.del("victim.txt", "/tmp"), "del", "escape");
    assert_err(&pair.del("victim.txt", "out"), "del", "escape");
    assert!(
        outside.join("victim.txt").exists(),
        "nothing outside was deleted"
    );
    assert_eq!(pair.del("victim.txt", "d1"), "del ok");
    assert_eq!(tree(&pair.dest_b), ["out"], "only the link is left");
    assert!(pair.dest_b.is_dir(), "dest_path itself stays");

    // dest_path moves, under the first one.
    let b = pair.b;
    let moved = pair.ask(b, "set-dest /elsewhere/x", "dest ", WAIT);
    let want = pair.dest_b.join("elsewhere/x");
    assert_eq!(
        moved,
        format!("dest {}", want.display()),
        "re-rooted under the first"
    );
    let climbed = pair.ask(b, "set-dest ../../up", "dest ", WAIT);
    assert_eq!(
        climbed,
        format!("dest {}", pair.dest_b.join("up").display())
    );
    sent_ok(&pair.send(&source, "-", false));
    assert!(
        pair.dest_b.join("up/victim.txt").exists(),
        "files go to the new dest_path"
    );
    assert_eq!(pair.ask(b, "dest", "dest ", WAIT), climbed);
}

#[test]
fn a_broken_transfer_resumes_where_the_receiver_is() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut pair = Pair::new("resume", &[]);
    let source = pair.work.join("resume.bin");
    let size = 96 * MIB;
    random_file(&source, size, 6);
    let part = pair.dest_b.join(".resume.bin.pycos-part");
    // A closes the link once B holds 8 MiB: the transfer fails there.
    let mark = pair.kids.mark();
    let (a, at_b) = (pair.a, pair.at_b);
    pair.kids.tell(
        a,
        &format!("close-when {} {} {at_b}", part.display(), 8 * MIB),
    );
    let broken = pair.send(&source, "-", false);
    pair.kids.wait_line(a, mark, WAIT, "the link closed", |l| {
        l.starts_with("closed at ")
    });
    assert!(
        broken.starts_with("sent err unreachable"),
        "the transfer breaks with the link: {broken}"
    );
    let kept = fs::metadata(&part).expect("B kept the partial file").len();
    assert!(kept >= 8 * MIB && kept < size, "B holds part of it: {kept}");

    assert_eq!(
        pair.ask(a, &format!("peer {at_b}"), "peer ", WAIT),
        "peer ok"
    );
    let resumed = sent_ok(&pair.send(&source, "-", false));
    assert!(
        resumed.from >= 8 * MIB && resumed.bytes < size,
        "resumed where B was: {resumed:?}"
    );
    assert_eq!(resumed.from + resumed.bytes, size);
    assert_eq!(
        hash(&pair.dest_b.join("resume.bin")),
        hash(&source),
        "byte-identical"
    );
    assert_eq!(
        tree(&pair.dest_b),
        ["resume.bin"],
        "the partial file became the file"
    );
}

#[test]
fn a_sender_killed_mid_transfer_leaves_no_partial_file() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    // B gives a silent peer up after a second.
    let mut pair = Pair::new("killed", &[("FILES_TIMEOUT_MS", "1000".to_owned())]);
    let source = pair.work.join("killed.bin");
    sparse_file(&source, 1 << 30);
    let part = pair.dest_b.join(".killed.bin.pycos-part");
    let mark = pair.kids.mark();
    let (a, b) = (pair.a, pair.b);
    pair.kids
        .tell(a, &format!("send {} {} - 0", pair.at_b, source.display()));
    let deadline = Instant::now() + WAIT;
    while fs::metadata(&part).map_or(0, |m| m.len()) < 16 * MIB {
        assert!(
            Instant::now() < deadline,
            "B's partial file did not reach 16 MiB in {WAIT:?}: {:?}",
            pair.kids.lines_since(a, mark, |_| true)
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let killed = std::process::Command::new("kill")
        .args(["-9", &pair.kids.pid(a).to_string()])
        .status();
    assert!(killed.is_ok_and(|s| s.success()), "kill A");
    pair.kids
        .wait_line(b, mark, WAIT, "B removes the partial file", |l| {
            l.starts_with("log INFO partial file removed")
        });
    assert!(tree(&pair.dest_b).is_empty(), "B: {:?}", tree(&pair.dest_b));
    assert!(tree(&pair.dest_a).is_empty(), "A: {:?}", tree(&pair.dest_a));
}

#[test]
fn a_gigabyte_costs_each_side_a_few_mebibytes() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut pair = Pair::new("rss", &[]);
    let source = pair.work.join("giga.bin");
    sparse_file(&source, 1 << 30);
    let (a, b) = (pair.a, pair.b);
    let rss = |pair: &mut Pair, who| -> u64 {
        let line = pair.ask(who, "rss-reset", "rss ", WAIT);
        line[4..].parse().expect("kB")
    };
    let (rss_a, rss_b) = (rss(&mut pair, a), rss(&mut pair, b));
    let sent = sent_ok(&pair.send(&source, "-", false));
    assert_eq!(sent.bytes, 1 << 30);
    let hwm = |pair: &mut Pair, who| -> u64 {
        let line = pair.ask(who, "hwm", "hwm ", WAIT);
        line[4..].parse().expect("kB")
    };
    let (hwm_a, hwm_b) = (hwm(&mut pair, a), hwm(&mut pair, b));
    let landed = fs::metadata(pair.dest_b.join("giga.bin")).unwrap();
    assert_eq!(landed.len(), 1 << 30);
    assert!(landed.blocks() * 512 < MIB, "the holes stay holes");
    let rise = |hwm: u64, rss: u64| hwm.saturating_sub(rss) / 1024;
    let (rise_a, rise_b) = (rise(hwm_a, rss_a), rise(hwm_b, rss_b));
    println!("peak RSS rise for 1 GiB: sender {rise_a} MiB, receiver {rise_b} MiB");
    assert!(
        rise_a <= 8,
        "the sender's RSS rose {rise_a} MiB ({rss_a} → {hwm_a} kB)"
    );
    assert!(
        rise_b <= 8,
        "the receiver's RSS rose {rise_b} MiB ({rss_b} → {hwm_b} kB)"
    );
}

#[test]
fn messages_keep_flowing_during_a_transfer() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut pair = Pair::new("flow", &[]);
    let source = pair.work.join("flow.bin");
    sparse_file(&source, 200 * MIB);
    let mark = pair.kids.mark();
    let (a, at_b) = (pair.a, pair.at_b);
    pair.kids
        .tell(a, &format!("send-pinged {at_b} {}", source.display()));
    let sent = pair.kids.wait_line(a, mark, TRANSFER, "the transfer", |l| {
        l.starts_with("sent ")
    });
    assert_eq!(sent_ok(&sent).bytes, 200 * MIB);
    let pings = pair.kids.wait_line(a, mark, WAIT, "the round trips", |l| {
        l.starts_with("pings ")
    });
    let words: Vec<&str> = pings.split(' ').collect();
    let (n, slowest): (u64, f64) = match words.as_slice() {
        ["pings", n, "slowest_ms", ms] => (n.parse().unwrap(), ms.parse().unwrap()),
        _ => panic!("the pinger failed: {pings}"),
    };
    println!("{n} round trips during 200 MiB, the slowest {slowest} ms");
    assert!(
        n >= 10,
        "round trips kept completing during the transfer: {pings}"
    );
    assert!(slowest < 1000.0, "each within a second: {pings}");
}
