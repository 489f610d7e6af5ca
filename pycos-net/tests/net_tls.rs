//! Links over TLS: two nodes with the same certificate link and deliver;
//! a node without TLS cannot link to a TLS node, and says so.
//!
//! Node B is this test binary re-run as a child (in a role) on 127.0.0.1,
//! killed by pid at the end. Node A is the test process for the TLS case,
//! and another child for the plain case (one node per process).

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use pycos::prelude::*;
use pycos_net::{Location, Node};
use support::{Children, ROLE, report};

const WAIT: Duration = Duration::from_secs(10);

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
    support::loopback(name)
        .secret("tls test")
        .msg_timeout(Duration::from_secs(3))
        .max_connection_errors(1)
}

/// The children: `tls` (a TLS node with a task `echo` that reports what
/// it gets) and `plain` (a node without TLS that links to `PYCOS_TLS_AT`
/// and reports how that went).
#[test]
fn tls_child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    support::limit_lifetime(Duration::from_secs(60));
    if role == "plain" {
        let _node = builder("plain").start().unwrap();
        let at: Location = support::env("PYCOS_TLS_AT").parse().unwrap();
        let outcome = Pycos::instance().spawn(plain_peer(at)).value_timeout(20.0);
        report(&format!("plain {outcome:?}"));
        return;
    }
    let dir = PathBuf::from(support::env("PYCOS_TLS_DIR"));
    let (cert, key) = cert_files(&dir);
    let node = builder("b").tls(cert, key).start().unwrap();
    Pycos::instance().spawn(echo());
    report(&format!("at {}", node.location()));
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[task]
fn echo(task: TaskCtx) {
    task.set_daemon(true);
    task.register("echo").unwrap();
    loop {
        let msg = task.receive().await;
        report(&format!("echo got {msg:?}"));
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
        .map_err(|e| e.to_string())
}

#[task]
fn plain_peer(b: Location) -> Result<(), String> {
    Node::current()
        .unwrap()
        .peer(b)
        .await
        .map_err(|e| e.to_string())
}

/// Node B with TLS, its location.
fn tls_node(children: &mut Children, dir: &Path) -> (usize, Location) {
    let b = children.spawn(
        "tls_child",
        "tls",
        &[("PYCOS_TLS_DIR", dir.display().to_string())],
        None,
    );
    (b, children.location(b, WAIT))
}

#[test]
fn tls_links() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("pycos-net-tls-{}", std::process::id()));
    let (cert, key) = cert_files(&dir);
    let mut children = Children::new();
    let (b, at) = tls_node(&mut children, &dir);
    let _a = builder("a").tls(cert, key).start().unwrap();
    let outcome = Pycos::instance().spawn(talk(at)).value_timeout(20.0);
    assert!(outcome.is_ok(), "a TLS link delivers: {outcome:?}");
    children.wait_line(b, 0, WAIT, "B got it", |l| {
        l == "echo got Msg(\"over TLS\")"
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// A node without TLS against a TLS node: refused, with a reason.
#[test]
fn plain_node_cannot_link_to_a_tls_node() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("pycos-net-tls-plain-{}", std::process::id()));
    let mut children = Children::new();
    let (_b, at) = tls_node(&mut children, &dir);
    let plain = children.spawn(
        "tls_child",
        "plain",
        &[("PYCOS_TLS_AT", at.to_string())],
        None,
    );
    let line = children.wait_line(plain, 0, WAIT, "the plain node's outcome", |l| {
        l.starts_with("plain ")
    });
    assert!(
        line.starts_with("plain Err("),
        "a plain node must not link to a TLS node: {line}"
    );
    assert!(
        line.contains(&at.to_string()),
        "the error names the peer: {line}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
