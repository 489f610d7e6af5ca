//! Two nodes in two network namespaces joined by a veth pair, with
//! discovery on and no `peer` call: the client finds the server's task by
//! name, as the tutorial's pair does on one network, and delivers to it.
//!
//! Both nodes are this test binary re-run inside the namespaces; the
//! children are killed by pid and the namespaces deleted when the test
//! ends. Without the rights to create namespaces (not root) the test
//! prints why it is skipped and passes.

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use pycos::prelude::*;
use pycos_net::{Node, PeerStatus};
use support::{Children, ROLE, env, report};

const WAIT: Duration = Duration::from_secs(20);

/// `10.79.1.1` (server) and `.2` (client).
fn addr(side: u8) -> Ipv4Addr {
    Ipv4Addr::new(10, 79, 1, side + 1)
}

#[test]
fn discovery_child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    support::limit_lifetime(Duration::from_secs(60));
    let here: IpAddr = env("PYCOS_DISCOVERY_ADDR").parse().unwrap();
    let node = Node::builder()
        .name(role.as_str())
        .host(here)
        .tcp_port(0)
        .discover(true)
        .interfaces([here])
        .secret("discovery test")
        .start()
        .unwrap();
    let watcher = Pycos::instance().spawn(statuses());
    node.peer_status(&watcher);
    match role.as_str() {
        "server" => {
            Pycos::instance().spawn(server());
            report(&format!("at {}", node.location()));
            let mut line = String::new();
            let _ = std::io::stdin().read_line(&mut line);
        }
        _ => {
            let outcome = Pycos::instance().spawn(client()).value_timeout(WAIT);
            report(&format!("client {outcome:?}"));
        }
    }
}

#[task]
fn statuses(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(status) = msg.downcast_ref::<PeerStatus>() {
            report(&format!(
                "status {} {} {:?}",
                status.name, status.location, status.status
            ));
        }
    }
}

#[task]
fn server(task: TaskCtx) {
    task.set_daemon(true);
    task.register("server_task").unwrap();
    loop {
        let msg = task.receive().await;
        report(&format!("received {msg:?}"));
    }
}

/// Finds `server_task` with nothing but discovery, and delivers to it.
#[task]
fn client() -> Result<(), String> {
    let server = Task::locate("server_task")
        .await
        .ok_or("server_task not found")?;
    server
        .deliver(String::from("found you"))
        .await
        .map_err(|e| e.to_string())
}

#[test]
fn nodes_find_each_other_by_discovery() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let Some([ns_server, ns_client]) =
        support::veth_pair(&mut children, "d", "10.79.1", ["da", "db"])
    else {
        return;
    };
    let server = children.spawn(
        "discovery_child",
        "server",
        &[("PYCOS_DISCOVERY_ADDR", addr(0).to_string())],
        Some(&ns_server),
    );
    let at = children.location(server, WAIT);
    assert_eq!(
        at.ip(),
        IpAddr::V4(addr(0)),
        "the server listens on its namespace's address"
    );
    let client = children.spawn(
        "discovery_child",
        "client",
        &[("PYCOS_DISCOVERY_ADDR", addr(1).to_string())],
        Some(&ns_client),
    );
    let outcome = children.wait_line(client, 0, WAIT, "the client's deliver", |l| {
        l.starts_with("client ")
    });
    assert_eq!(
        outcome, "client Ok(())",
        "the client found and reached the server"
    );
    children.wait_line(server, 0, WAIT, "the server got it", |l| {
        l == "received Msg(\"found you\")"
    });
    // Both learned of the other through discovery: Online on both sides.
    children.wait_line(client, 0, WAIT, "the client saw the server", |l| {
        l.starts_with(&format!("status server {at} Online"))
    });
    children.wait_line(server, 0, WAIT, "the server saw the client", |l| {
        l.starts_with("status client ") && l.ends_with(" Online")
    });
}
