//! Peers: `peer`, `peer_status` (Online at once for known peers, then
//! Online/Offline), `locate_peer`, `close_peer` seen on both sides, and
//! `ignore_peers`.
//!
//! The test process is node A; node B is this binary re-run as a child
//! (in a role) on 127.0.0.1 that obeys lines on its stdin and reports on
//! its stdout; it is killed by pid when the test ends.

mod support;

use std::time::Duration;

use pycos::prelude::*;
use pycos_net::{Location, Node, PeerState, PeerStatus};
use support::{Children, ROLE, report};

const WAIT: Duration = Duration::from_secs(10);

fn builder(name: &str) -> pycos_net::NodeBuilder {
    support::loopback(name)
        .secret("peers test")
        .msg_timeout(Duration::from_secs(3))
        .max_connection_errors(2)
}

#[test]
fn peers_child() {
    if std::env::var(ROLE).is_err() {
        return;
    }
    support::limit_lifetime(Duration::from_secs(60));
    support::report_node_log();
    let node = builder("b").start().unwrap();
    let watcher = Pycos::instance().spawn(print_status());
    node.peer_status(&watcher);
    report(&format!("at {}", node.location()));
    for line in std::io::stdin().lines().map_while(Result::ok) {
        match line.as_str() {
            "ignore" => {
                node.ignore_peers(true);
                report("ignoring");
            }
            _ => break,
        }
    }
}

#[task]
fn print_status(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(status) = msg.downcast_ref::<PeerStatus>() {
            report(&format!("status {} {:?}", status.name, status.status));
        }
    }
}

/// The next `PeerStatus` the task receives, within [`WAIT`].
async fn next_status(task: &TaskCtx) -> Result<PeerStatus, String> {
    let msg = task
        .receive()
        .timeout(WAIT)
        .await
        .ok_or("no PeerStatus came")?;
    msg.downcast::<PeerStatus>()
        .map_err(|other| format!("not a PeerStatus: {other:?}"))
}

#[task]
fn peers_of_a(b: Location, task: TaskCtx) -> Result<(), String> {
    let node = Node::current().unwrap();
    node.peer(b).await.map_err(|e| e.to_string())?;
    assert_eq!(node.peers(), [b], "B is the one peer online");

    // Online at once for the peer already known.
    node.peer_status(&task.handle());
    let status = next_status(&task).await?;
    assert_eq!(
        (status.location, status.name.as_str(), status.status),
        (b, "b", PeerState::Online)
    );

    assert_eq!(node.locate_peer("b", WAIT).await, Some(b));
    assert_eq!(
        node.locate_peer("nobody", Duration::from_millis(200)).await,
        None
    );

    // Closed here: Offline here (and on B, which the test reads).
    node.close_peer(b);
    let status = next_status(&task).await?;
    assert_eq!((status.location, status.status), (b, PeerState::Offline));
    assert!(node.peers().is_empty(), "no peer online after close_peer");

    // Linked again: Online again.
    node.peer(b).await.map_err(|e| format!("relink: {e}"))?;
    let status = next_status(&task).await?;
    assert_eq!((status.location, status.status), (b, PeerState::Online));
    Ok(())
}

#[task]
fn relink(b: Location) -> Result<(), String> {
    let node = Node::current().unwrap();
    node.close_peer(b);
    // Give the close a moment to reach B before asking again: bounded by
    // waiting for B's report in the test, not here.
    node.peer(b).await.map_err(|e| e.to_string())
}

#[test]
fn peers_come_and_go() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let b = children.spawn("peers_child", "b", &[], None);
    let b_at = children.location(b, WAIT);
    let _a = builder("a").start().unwrap();
    let outcome = Pycos::instance()
        .spawn(peers_of_a(b_at))
        .value_timeout(30.0);
    assert!(outcome.is_ok(), "A's view of its peers: {outcome:?}");
    // B saw A come, go (A closed the link) and come again.
    let mut from = 0;
    for status in ["status a Online", "status a Offline", "status a Online"] {
        children.wait_line(b, from, WAIT, status, |l| l == status);
        from = children
            .seen
            .iter()
            .rposition(|(i, l)| *i == b && l == status)
            .unwrap()
            + 1;
    }

    // B ignores peers: A, which B never added, is refused once closed.
    children.tell(b, "ignore");
    children.wait_line(b, 0, WAIT, "B ignores peers", |l| l == "ignoring");
    let refused = Pycos::instance().spawn(relink(b_at)).value_timeout(30.0);
    children.collect_for(Duration::from_millis(300));
    assert!(
        refused.is_err(),
        "B ignores peers, so A cannot link again: {refused:?}; B reported {:#?}",
        children.seen
    );
}
