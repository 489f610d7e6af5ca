//! The I/O examples behave like pycos' originals: servers and clients are
//! started from here on 127.0.0.1 with ephemeral ports, fed scripted
//! standard input, and checked on their output. Every wait is bounded.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use pycos_examples::sha1::Sha1;

/// Longest wait for any one expected event.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running example with its output read line by line.
struct Program {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Program {
    fn start(bin: &str, args: &[&str]) -> Program {
        let mut child = Command::new(bin)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|err| panic!("{bin} starts: {err}"));
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Program {
            name: bin.rsplit('/').next().unwrap_or(bin).to_owned(),
            stdin: child.stdin.take(),
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `text`; gives it.
    fn expect(&mut self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "{}: no line with {text:?} in time; saw {:?}",
                    self.name, self.seen
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("{}: ended without {text:?}; saw {:?}", self.name, self.seen)
                }
            }
        }
    }

    /// The address after "server at ".
    fn server_addr(&mut self) -> SocketAddr {
        let line = self.expect("server at ");
        line.rsplit("server at ")
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// Closes stdin (end of input), waits for the exit and gives every line.
    fn finish(mut self) -> Vec<String> {
        drop(self.stdin.take());
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(
                    status.success(),
                    "{} failed: {status}; saw {:?}",
                    self.name,
                    self.seen
                );
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{} did not exit in time; saw {:?}",
                self.name,
                self.seen
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        while let Ok(line) = self.lines.recv_timeout(PATIENCE) {
            self.seen.push(line);
        }
        std::mem::take(&mut self.seen)
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn input_file(name: &str, content: &[u8]) -> PathBuf {
    let path =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    std::fs::write(&path, content).unwrap();
    path
}

fn sha1(data: &[u8]) -> String {
    let mut sha = Sha1::default();
    sha.update(data);
    sha.hexdigest()
}

#[test]
fn sock_server_counts_sock_client_messages() {
    let mut server = Program::start(env!("CARGO_BIN_EXE_sock_server"), &["127.0.0.1:0"]);
    let addr = server.server_addr().to_string();
    let client = Program::start(env!("CARGO_BIN_EXE_sock_client"), &[&addr, "10"]).finish();
    assert_eq!(
        client.iter().filter(|l| l.ends_with(" connected")).count(),
        10,
        "{client:?}"
    );
    for _ in 0..10 {
        let line = server.expect("received: ");
        assert!(line.ends_with('/') && line.contains(": ---"), "{line}");
    }
    server.send("quit");
    let rest = server.finish();
    assert!(
        rest.iter().any(|l| l.ends_with("Received 10 messages")),
        "{rest:?}"
    );
}

#[test]
fn udp_prints_fifty_datagrams() {
    let out = Program::start(env!("CARGO_BIN_EXE_udp"), &[]).finish();
    assert_eq!(out.len(), 50, "{out:?}");
    assert!(
        out.iter().all(
            |l| l.starts_with("Received \"client socket: ") && l.contains("\" from 127.0.0.1:")
        )
    );
}

#[test]
fn webserver_answers_pong_until_end_of_input() {
    let mut server = Program::start(env!("CARGO_BIN_EXE_webserver"), &["127.0.0.1:0"]);
    let addr = server.server_addr();
    for _ in 0..20 {
        let mut conn = TcpStream::connect(addr).unwrap();
        conn.set_read_timeout(Some(PATIENCE)).unwrap();
        conn.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let mut reply = Vec::new();
        std::io::Read::read_to_end(&mut conn, &mut reply).unwrap();
        assert_eq!(
            reply,
            b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nPong!\r\n"
        );
    }
    server.finish();
}

#[test]
fn socket_afile_checksums_match() {
    let data: Vec<u8> = (0..300_000_u32).map(|i| (i % 233) as u8).collect();
    let path = input_file("socket_afile", &data);
    let out = Program::start(
        env!("CARGO_BIN_EXE_socket_afile"),
        &[path.to_str().unwrap()],
    )
    .finish();
    let want = sha1(&data);
    assert!(
        out.iter().any(|l| l.starts_with("host: 127.0.0.1, port: ")),
        "{out:?}"
    );
    assert!(
        out.contains(&format!("client sha1 csum: {want}")),
        "{out:?}"
    );
    assert!(
        out.contains(&format!("server sha1 csum: {want}")),
        "{out:?}"
    );
    assert!(out.iter().any(|l| l.starts_with("chunks: ")), "{out:?}");
}

#[test]
fn socket_afile_names_a_missing_file_and_fails() {
    let missing = std::env::temp_dir().join(format!("socket_afile-missing-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_socket_afile"))
        .arg(&missing)
        .stdin(Stdio::null())
        .output()
        .expect("socket_afile runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "exit status {}; stdout {stdout}",
        out.status
    );
    assert!(
        stderr.contains(&format!("cannot open {}", missing.display())),
        "stderr: {stderr}"
    );
    assert!(
        !stdout.contains("csum"),
        "no checksum of an empty input: {stdout}"
    );
}

#[test]
fn pipe_csum_feeds_sha1sum_twice() {
    let data: Vec<u8> = (0..200_000_u32).map(|i| (i % 229) as u8).collect();
    let path = input_file("pipe_csum", &data);
    let out = Program::start(env!("CARGO_BIN_EXE_pipe_csum"), &[path.to_str().unwrap()]).finish();
    let want = format!("{}  -", sha1(&data));
    assert_eq!(
        out,
        [
            format!("communicate sha1sum: {want}"),
            format!("     feeder sha1sum: {want}")
        ]
    );
}

#[test]
fn pipe_grep_counts_matching_lines() {
    let path = input_file("pipe_grep", b"an error here\nall fine\nERROR again\n");
    let out = Program::start(env!("CARGO_BIN_EXE_pipe_grep"), &[path.to_str().unwrap()]).finish();
    assert_eq!(out.len(), 1, "{out:?}");
    let counts: Vec<u32> = out[0]
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(counts, [2, 5, 26]);
}

#[test]
fn chat_server_relays_messages_between_chat_clients() {
    let mut server = Program::start(env!("CARGO_BIN_EXE_chat_server"), &["127.0.0.1", "0"]);
    let port = server.server_addr().port().to_string();
    let mut alice = Program::start(env!("CARGO_BIN_EXE_chat_client"), &["127.0.0.1", &port]);
    let mut bob = Program::start(env!("CARGO_BIN_EXE_chat_client"), &["127.0.0.1", &port]);
    // Both are connected once a message from one reaches the other; the
    // first may be sent before the second client has joined, so repeat.
    let deadline = Instant::now() + PATIENCE;
    loop {
        alice.send("ping from alice");
        match bob.lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                assert!(
                    line.starts_with("  ") && line.ends_with(" says: ping from alice"),
                    "{line}"
                );
                break;
            }
            Err(_) => assert!(Instant::now() < deadline, "bob never heard alice"),
        }
    }
    bob.send("hello alice");
    alice.expect("says: hello alice");
    alice.send("quit");
    alice.finish();
    bob.finish();
    server.send("quit");
    server.finish();
}

#[test]
fn chat_sock_server_announces_joins_messages_and_leaves() {
    let mut server = Program::start(env!("CARGO_BIN_EXE_chat_sock_server"), &["127.0.0.1", "0"]);
    let port = server.server_addr().port().to_string();
    let mut alice = Program::start(
        env!("CARGO_BIN_EXE_chat_sock_client"),
        &["127.0.0.1", &port],
    );
    let alice_id = alice.expect("id: ").trim_start_matches("id: ").to_owned();
    let mut bob = Program::start(
        env!("CARGO_BIN_EXE_chat_sock_client"),
        &["127.0.0.1", &port],
    );
    let bob_id = bob.expect("id: ").trim_start_matches("id: ").to_owned();
    alice.expect(&format!("{bob_id} joined"));
    alice.send("hi bob");
    bob.expect(&format!("{alice_id} says: hi bob"));
    bob.send("quit");
    bob.finish();
    alice.expect(&format!("{bob_id} left"));
    alice.finish();
    // Like the original, the server runs until it is killed.
    drop(server);
}
