//! Links: two nodes that connect to each other at the same moment end up
//! with one connection, and both directions work over it.
//!
//! Both nodes are children (this test binary re-run in a role), on
//! 127.0.0.1, killed by pid when the test ends.

mod support;

use std::time::{Duration, Instant};

use pycos::prelude::*;
use pycos_net::{Location, Node};
use support::{Children, ROLE, report};

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn link_child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    support::limit_lifetime(Duration::from_secs(60));
    let node = support::loopback(&role)
        .secret("links test")
        .msg_timeout(Duration::from_secs(5))
        .tick(Duration::from_millis(200))
        .start()
        .unwrap();
    Pycos::instance().spawn(sink());
    let watcher = Pycos::instance().spawn(statuses());
    node.peer_status(&watcher);
    report(&format!("at {}", node.location()));
    for line in std::io::stdin().lines().map_while(Result::ok) {
        if let Some(other) = line.strip_prefix("peer ") {
            let other: Location = other.parse().unwrap();
            let outcome = Pycos::instance().spawn(link(other)).value_timeout(20.0);
            report(&format!("linked {}", outcome.is_ok()));
        } else if let Some(other) = line.strip_prefix("deliver ") {
            let other: Location = other.parse().unwrap();
            let outcome = Pycos::instance().spawn(deliver(other)).value_timeout(20.0);
            report(&format!("delivered {outcome:?}"));
        } else if line == "quit" {
            // As `#[pycos::main]` does at the end of `main`.
            Pycos::instance().finish().unwrap();
            report("finished");
            return;
        }
    }
}

#[task]
fn statuses(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(status) = msg.downcast_ref::<pycos_net::PeerStatus>() {
            report(&format!("status {} {:?}", status.name, status.status));
        }
    }
}

#[task]
fn sink(task: TaskCtx) {
    task.set_daemon(true);
    task.register("sink").unwrap();
    loop {
        let _ = task.receive().await;
    }
}

#[task]
fn link(other: Location) -> Result<(), String> {
    Node::current()
        .unwrap()
        .peer(other)
        .await
        .map_err(|e| e.to_string())
}

#[task]
fn deliver(other: Location) -> Result<(), String> {
    let node = Node::current().unwrap();
    let sink = node
        .locate_task("sink", Some(other), WAIT)
        .await
        .ok_or("no sink")?;
    sink.deliver(7_u32).await.map_err(|e| e.to_string())
}

/// Established TCP connections with one end at one of `ports` (each
/// connection between the two nodes has exactly one end at a listening
/// port), from `/proc/net/tcp` of this network namespace.
fn links_between(ports: [u16; 2]) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter(|row| {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let local_port = cols
                .get(1)
                .and_then(|a| a.rsplit(':').next())
                .and_then(|p| u16::from_str_radix(p, 16).ok());
            let remote_port = cols
                .get(2)
                .and_then(|a| a.rsplit(':').next())
                .and_then(|p| u16::from_str_radix(p, 16).ok());
            let established = cols.get(3) == Some(&"01");
            // The end at a listening port, connected to the other node.
            established
                && local_port.is_some_and(|p| ports.contains(&p))
                && remote_port.is_some_and(|p| !ports.contains(&p))
        })
        .count()
}

#[test]
fn simultaneous_connects_leave_one_link() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let a = children.spawn("link_child", "a", &[], None);
    let b = children.spawn("link_child", "b", &[], None);
    let (at_a, at_b) = (children.location(a, WAIT), children.location(b, WAIT));
    // Both dial the other at once.
    children.tell(a, &format!("peer {at_b}"));
    children.tell(b, &format!("peer {at_a}"));
    for who in [a, b] {
        let line = children.wait_line(who, 0, WAIT, "linked", |l| l.starts_with("linked "));
        assert_eq!(line, "linked true", "the child linked to the other");
    }
    // However many connections the race made, one stays, and the other
    // is closed at once: well before a silent connection would time out
    // (5 s here).
    let ports = [at_a.port(), at_b.port()];
    let deadline = Instant::now() + Duration::from_millis(1500);
    let mut count = links_between(ports);
    while count != 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        count = links_between(ports);
    }
    assert_eq!(
        count, 1,
        "one connection between the two nodes within 1.5 s"
    );
    // And it carries both directions.
    children.tell(a, &format!("deliver {at_b}"));
    children.tell(b, &format!("deliver {at_a}"));
    for who in [a, b] {
        let line = children.wait_line(who, 0, WAIT, "delivered", |l| l.starts_with("delivered "));
        assert_eq!(line, "delivered Ok(())", "a deliver over the one link");
    }
    assert_eq!(
        links_between(ports),
        1,
        "still one connection after traffic both ways"
    );

    // A node that stops closes its links in order: the other sees it
    // Offline at once, not after redialing it for the message timeout.
    let mark = children.mark();
    children.tell(b, "quit");
    children.wait_line(b, mark, WAIT, "B finished", |l| l == "finished");
    children.wait_line(
        a,
        mark,
        Duration::from_millis(1500),
        "A sees B offline at once",
        |l| l == "status b Offline",
    );
}

/// Requests sent the moment both nodes dial each other are not lost with
/// the connection that loses the race: a node serves what arrived on a
/// duplicate connection until its peer closes it. Several pairs, since one
/// race may or may not interleave badly.
#[test]
fn requests_sent_while_both_dial_arrive() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    const PAIRS: usize = 6;
    let mut children = Children::new();
    let pairs: Vec<[usize; 2]> = (0..PAIRS)
        .map(|i| {
            [
                children.spawn("link_child", &format!("a{i}"), &[], None),
                children.spawn("link_child", &format!("b{i}"), &[], None),
            ]
        })
        .collect();
    let at: Vec<[Location; 2]> = pairs
        .iter()
        .map(|[a, b]| [children.location(*a, WAIT), children.location(*b, WAIT)])
        .collect();
    // No `peer` first: each side's locate dials the other, both at once,
    // and its request goes out on whichever link came up first here.
    for ([a, b], [at_a, at_b]) in pairs.iter().zip(&at) {
        children.tell(*a, &format!("deliver {at_b}"));
        children.tell(*b, &format!("deliver {at_a}"));
    }
    for (i, pair) in pairs.iter().enumerate() {
        for who in pair {
            let line = children.wait_line(*who, 0, WAIT + WAIT, "delivered", |l| {
                l.starts_with("delivered ")
            });
            assert_eq!(
                line, "delivered Ok(())",
                "pair {i}: the locate and the deliver were answered"
            );
        }
    }
}
