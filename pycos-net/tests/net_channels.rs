//! Channel hierarchies that span two nodes: a subscription that would close
//! a cycle through the other node is refused, and `deliver` counts the end
//! recipients on both nodes.
//!
//! The test process is node A; it starts node B as a child process (this
//! same test binary, re-run in a role), on 127.0.0.1. The child is killed
//! by its pid when the test ends, pass or fail.

mod support;

use std::time::Duration;

use pycos::prelude::*;
use pycos_net::{Location, Node};
use support::{Children, ROLE, report};

const WAIT: Duration = Duration::from_secs(10);

fn node(name: &str) -> Node {
    support::loopback(name)
        .secret("channels test")
        .msg_timeout(Duration::from_secs(5))
        .start()
        .expect("the node starts")
}

/// Node B: channel `b1` (with one subscribed task that prints what it
/// gets) and channel `b2`, both registered; runs until its stdin closes.
#[test]
fn channels_child() {
    if std::env::var(ROLE).is_err() {
        return;
    }
    support::limit_lifetime(Duration::from_secs(60));
    let node = node("b");
    let b1 = Channel::new("b1").unwrap();
    b1.register().unwrap();
    let b2 = Channel::new("b2").unwrap();
    b2.register().unwrap();
    Pycos::instance().spawn(listener(b1.clone()));
    report(&format!("at {}", node.location()));
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[task]
fn listener(channel: Channel, task: TaskCtx) {
    task.set_daemon(true);
    channel.subscribe(&task).await.unwrap();
    report("subscribed");
    loop {
        let msg = task.receive().await;
        report(&format!("b1 got {msg:?}"));
    }
}

#[task]
fn across(b: Location, task: TaskCtx) -> Result<(), String> {
    let node = Node::current().unwrap();
    node.peer(b).await.map_err(|e| e.to_string())?;
    let b1 = node
        .locate_channel("b1", Some(b), WAIT)
        .await
        .ok_or("no b1")?;
    let b2 = node
        .locate_channel("b2", Some(b), WAIT)
        .await
        .ok_or("no b2")?;
    let a1 = Channel::new("a1").unwrap();
    a1.subscribe(&task).await.map_err(|e| e.to_string())?;

    // a1 → b1: messages to a1 reach b1's subscriber on B too.
    a1.subscribe(&b1).await.map_err(|e| e.to_string())?;
    let reached = a1
        .deliver(String::from("hello"), 0, 5.0)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        reached, 2,
        "a1 reaches its own subscriber here and b1's on B"
    );
    let mine = task
        .receive()
        .timeout(5.0)
        .await
        .ok_or("a1's subscriber got nothing")?;
    assert_eq!(
        mine.downcast_ref::<String>().map(String::as_str),
        Some("hello")
    );

    // b1 → a1 would close the cycle a1 → b1 → a1 across the nodes.
    let err = b1.subscribe(&a1).await.expect_err("the cycle is refused");
    assert!(err.is_cycle(), "refused as a cycle, not {err}");
    // b2 → a1 is no cycle: b2 passes nothing on to b1.
    b2.subscribe(&a1)
        .await
        .map_err(|e| format!("b2 → a1: {e}"))?;
    let reached = b2
        .deliver(String::from("via b2"), 0, 5.0)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(reached, 2, "b2 → a1 → (its task here, b1 → its task on B)");
    Ok(())
}

#[test]
fn hierarchies_across_nodes() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let b = children.spawn("channels_child", "b", &[], None);
    let at = children.location(b, WAIT);
    children.wait_line(b, 0, WAIT, "B's subscriber", |l| l == "subscribed");
    let _a = node("a");
    let outcome = Pycos::instance().spawn(across(at)).value_timeout(30.0);
    if let Err(err) = outcome {
        panic!("the hierarchy test failed: {err}");
    }
    for sent in ["hello", "via b2"] {
        let line = format!("b1 got Msg({sent:?})");
        children.wait_line(b, 0, WAIT, "b1's subscriber got it", |l| l == line);
    }
}
