//! Links over TLS: two nodes with the same certificate link and deliver;
//! a node without TLS cannot link to a TLS node, and says so.
//!
//! The test process is node A; node B is this test binary re-run as a
//! child (`PYCOS_NET_CHILD=tls-b`) on 127.0.0.1, killed by pid at the end.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use pycos::prelude::*;
use pycos_net::{Location, Node};

const WAIT: Duration = Duration::from_secs(10);

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A self-signed certificate for 127.0.0.1, written once per test run.
fn cert_files(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    if !cert.exists() {
        std::fs::create_dir_all(dir).unwrap();
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
        std::fs::write(&key, made.signing_key.serialize_pem()).unwrap();
        std::fs::write(&cert, made.cert.pem()).unwrap();
    }
    (cert, key)
}

fn builder(name: &str) -> pycos_net::NodeBuilder {
    Node::builder()
        .name(name)
        .host("127.0.0.1".parse().unwrap())
        .tcp_port(0)
        .discover(false)
        .secret("tls test")
        .msg_timeout(Duration::from_secs(3))
        .max_connection_errors(1)
}

/// The lines a child prints, as they come.
fn lines_of(stdout: std::process::ChildStdout) -> mpsc::Receiver<String> {
    let (lines, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The first line starting with `prefix` (the test harness prints lines
/// of its own first), within [`WAIT`].
fn wait_line(rx: &mpsc::Receiver<String>, prefix: &str) -> String {
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(WAIT) {
            Ok(line) if line.starts_with(prefix) => return line,
            Ok(line) => seen.push(line),
            Err(_) => panic!("the child never printed {prefix:?}; it printed {seen:?}"),
        }
    }
}

#[test]
fn child_entry() {
    if std::env::var("PYCOS_NET_CHILD").as_deref() != Ok("tls-b") {
        return;
    }
    let dir = PathBuf::from(std::env::var("PYCOS_TLS_DIR").unwrap());
    let (cert, key) = cert_files(&dir);
    let node = builder("b").tls(cert, key).start().unwrap();
    Pycos::instance().spawn(echo());
    println!("at {}", node.location());
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[task]
fn echo(task: TaskCtx) {
    task.set_daemon(true);
    task.register("echo").unwrap();
    loop {
        let msg = task.receive().await;
        println!("echo got {msg:?}");
    }
}

#[task]
fn talk(b: Location) -> Result<(), String> {
    let node = Node::current().unwrap();
    node.peer(b).await.map_err(|e| e.to_string())?;
    let echo = node
        .locate_task("echo", Some(b), WAIT)
        .await
        .ok_or("no echo")?;
    echo.deliver(String::from("over TLS"))
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[test]
fn tls_links() {
    if std::env::var("PYCOS_NET_CHILD").is_ok() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("pycos-net-tls-{}", std::process::id()));
    let (cert, key) = cert_files(&dir);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_entry", "--nocapture"])
        .env("PYCOS_NET_CHILD", "tls-b")
        .env("PYCOS_TLS_DIR", &dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node B starts");
    let rx = lines_of(child.stdout.take().unwrap());
    let child = Killed(child);
    let at: Location = wait_line(&rx, "at ")[3..].parse().unwrap();
    let _a = builder("a").tls(cert, key).start().unwrap();
    let outcome = Pycos::instance().spawn(talk(at)).value_timeout(20.0);
    assert!(outcome.is_ok(), "a TLS link delivers: {outcome:?}");
    wait_line(&rx, "echo got Msg(\"over TLS\")");
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A node without TLS against a TLS node: refused, with a reason.
#[test]
fn plain_node_cannot_link_to_a_tls_node() {
    if std::env::var("PYCOS_NET_CHILD").is_ok() {
        return;
    }
    // One node per process: this case runs as its own child, which is
    // the plain node, against a TLS child.
    if std::env::var("PYCOS_NET_PLAIN").is_err() {
        let status = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "plain_node_cannot_link_to_a_tls_node",
                "--nocapture",
            ])
            .env("PYCOS_NET_PLAIN", "1")
            .status()
            .unwrap();
        assert!(status.success(), "the plain node's checks passed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("pycos-net-tls-plain-{}", std::process::id()));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_entry", "--nocapture"])
        .env("PYCOS_NET_CHILD", "tls-b")
        .env_remove("PYCOS_NET_PLAIN")
        .env("PYCOS_TLS_DIR", &dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node B starts");
    let rx = lines_of(child.stdout.take().unwrap());
    let child = Killed(child);
    let at: Location = wait_line(&rx, "at ")[3..].parse().unwrap();
    let _plain = builder("plain").start().unwrap();
    let outcome = Pycos::instance().spawn(plain_peer(at)).value_timeout(20.0);
    let Err(err) = outcome else {
        panic!("a plain node must not link to a TLS node");
    };
    let why = err.to_string();
    assert!(
        why.contains(&at.to_string()),
        "the error names the peer: {why}"
    );
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
}

#[task]
fn plain_peer(b: Location) -> Result<(), String> {
    Node::current()
        .unwrap()
        .peer(b)
        .await
        .map_err(|e| e.to_string())
}
