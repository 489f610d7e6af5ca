//! The networked examples and the remote operations they stand on, over
//! loopback with one node per process: each test starts its nodes as child
//! processes (the example binaries, or the scriptable `net_probe_node`
//! test helper), reads their output line by line with bounded waits, and
//! kills every child by pid when it ends.

mod net_support;

use std::collections::BTreeSet;
use std::time::Duration;

use net_support::{LOOPBACK, Proc, free_port};

const PROBE: &str = env!("CARGO_BIN_EXE_net_probe_node");

/// `bin` as a node alone on a free loopback port, with `extra` arguments.
fn on_loopback(name: &str, bin: &str, extra: &[&str]) -> Proc {
    let mut args: Vec<&str> = LOOPBACK.to_vec();
    args.extend_from_slice(extra);
    Proc::spawn(name, bin, &args)
}

/// A probe node on a free loopback port, with `extra` options; gives it
/// and its location.
fn probe(name: &str, extra: &[&str]) -> (Proc, String) {
    let mut args = vec!["--name", name];
    args.extend_from_slice(extra);
    let mut node = on_loopback(name, PROBE, &args);
    let at = node.location("node at ");
    (node, at)
}

/// `node` links to the peer at `at`.
fn link(node: &mut Proc, at: &str) {
    node.ask(&format!("peer {at}"), &format!("peer {at} linked"));
}

/// Case 1: the tutorial pair. All 30 messages of the ten client tasks reach
/// the registered server task; a deliver to it reports delivered, and a
/// deliver to a remote task that has ended reports it ended.
#[test]
fn locate_send_and_deliver() {
    let mut server = on_loopback(
        "remote_task_server",
        env!("CARGO_BIN_EXE_remote_task_server"),
        &[],
    );
    let at = server.location("server at ");
    let mut client = on_loopback(
        "remote_task_client",
        env!("CARGO_BIN_EXE_remote_task_client"),
        &["--peer", &at, "0.3"],
    );
    let mut pairs = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for _ in 0..30 {
        let line = server.expect_prefix("received ");
        // "received ID: N / X"
        let body = line.trim_start_matches("received ");
        let (id, pair) = body
            .split_once(": ")
            .unwrap_or_else(|| panic!("malformed line {line:?}"));
        assert!(ids.insert(id.to_owned()), "message id {id} twice: {line:?}");
        pairs.insert(pair.to_owned());
    }
    let expected: BTreeSet<String> = (0..10)
        .flat_map(|n| (0..3).map(move |x| format!("{n} / {x}")))
        .collect();
    assert_eq!(
        pairs, expected,
        "the set of `n / x` pairs the server received"
    );
    let expected_ids: BTreeSet<String> = (1..=30).map(|i| i.to_string()).collect();
    assert_eq!(ids, expected_ids, "message ids 1..=30, each once");
    client.expect_success(Duration::from_secs(10));

    // A deliver is acknowledged by the server's node.
    let (mut other, _) = probe("prober", &[]);
    link(&mut other, &at);
    other.ask("locate server_task s", "located server_task as s");
    other.ask("deliver s hello there", "delivered s");
    server.expect_line("received hello there");

    // A deliver to a task that has ended is refused as ended.
    let (mut owner, owner_at) = probe("owner", &[]);
    owner.ask("task short value 7", "task short started");
    link(&mut other, &owner_at);
    other.ask("locate short t", "located short as t");
    other.ask("monitor t", "monitoring t");
    other.ask("send t go", "sent t");
    other.expect_line("monitor t: value 7");
    other.ask("deliver t late", "not delivered t: ended");
    owner.expect_none(
        "message to the ended task",
        Duration::from_millis(300),
        |l| l.contains("late"),
    );

    server.quit();
}

/// Case 2: monitors and `finish` of remote tasks see a value and an error.
#[test]
fn remote_monitor_sees_value_and_error() {
    let (mut b, b_at) = probe("b", &[]);
    let (mut a, _) = probe("a", &[]);
    b.ask("task v value 42", "task v started");
    b.ask("task f fail", "task f started");
    link(&mut a, &b_at);
    a.ask("locate v v", "located v as v");
    a.ask("locate f f", "located f as f");
    a.ask("monitor v", "monitoring v");
    a.ask("monitor f", "monitoring f");
    a.ask("send v go", "sent v");
    a.ask("send f go", "sent f");
    a.expect_line("monitor v: value 42");
    a.expect_line("monitor f: error error");
    // Once ended, `finish` gives the same outcome again.
    a.ask("finish v", "finish v: value 42");
    a.ask("finish f", "finish f: error error");
}

/// Case 3: terminating a remote task ends it terminated on its node, and
/// the remote monitor hears `TaskError::Terminated`.
#[test]
fn remote_terminate() {
    let (mut b, b_at) = probe("b", &[]);
    let (mut a, _) = probe("a", &[]);
    b.ask("task w wait", "task w started");
    // The owner watches its own task too.
    b.ask("locate w w", "located w as w");
    b.ask("monitor w", "monitoring w");
    link(&mut a, &b_at);
    a.ask("locate w w", "located w as w");
    a.ask("monitor w", "monitoring w");
    a.ask("deliver w still there", "delivered w");
    b.expect_line("w got still there");
    a.ask("terminate w", "terminated w");
    b.expect_line("monitor w: error terminated");
    a.expect_line("monitor w: error terminated");
    a.ask("deliver w gone", "not delivered w: ended");
}

/// Case 4: `deliver(n=2)` on a channel whose subscribers are on two other
/// nodes waits for both, reports 2, and both print the message; from a
/// subscriber's node (a remote deliver) too.
#[test]
fn remote_channel_deliver_to_two_nodes() {
    let (mut a, a_at) = probe("a", &[]);
    let (mut b, _) = probe("b", &[]);
    let (mut c, _) = probe("c", &[]);
    a.ask("channel news", "channel news registered");
    a.ask("locate_channel news ch", "located channel news as ch");
    for (node, label) in [(&mut b, "b1"), (&mut c, "c1")] {
        link(node, &a_at);
        node.ask("locate_channel news ch", "located channel news as ch");
        if label == "b1" {
            node.ask("subscribe ch b1", "subscribed b1");
            // One subscriber: a deliver for two waits.
            a.send("chdeliver ch first 2 8");
            a.expect_none("early deliver", Duration::from_millis(300), |l| {
                l.starts_with("reached")
            });
        } else {
            node.ask("subscribe ch c1", "subscribed c1");
        }
    }
    a.expect_line("reached 2");
    b.expect_line("b1 got first");
    c.expect_line("c1 got first");
    b.ask("chdeliver ch second 2 5", "reached 2");
    b.expect_line("b1 got second");
    c.expect_line("c1 got second");
}

/// Case 5: a watching node with short timeouts hears Online, then Offline
/// a few seconds after its peer is killed (`kill -9`); a task of the peer
/// that it monitors ends Unreachable, reported once.
#[test]
fn peer_status_offline_after_kill() {
    let (mut b, b_at) = probe("b", &[]);
    let (mut a, _) = probe("a", &["--msg-timeout", "1", "--max-connection-errors", "2"]);
    b.ask("task w wait", "task w started");
    link(&mut a, &b_at);
    a.ask("peer_status", "watching peers");
    a.expect_line(&format!("status {b_at} b online"));
    a.ask("locate w w", "located w as w");
    a.ask("monitor w", "monitoring w");
    a.ask("ping", "pong");
    b.kill();
    a.expect_by("reporting b offline", Duration::from_secs(8), |l| {
        l == format!("status {b_at} b offline")
    });
    a.expect_line("monitor w: error unreachable");
    a.expect_none("second outcome of w", Duration::from_secs(1), |l| {
        l.starts_with("monitor w:")
    });
}

/// Case 6: a peer restarted on the same port is linked again; the task it
/// registered anew is found and reached, while the handle to the task of
/// its previous run is refused as ended and never reaches the new task.
#[test]
fn reconnect_after_restart_refuses_stale_handles() {
    let port = free_port().to_string();
    let fixed = [
        "--no-discover",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--name",
        "b",
    ];
    let mut b = Proc::spawn("b (first run)", PROBE, &fixed);
    let b_at = b.location("node at ");
    let (mut a, _) = probe("a", &["--msg-timeout", "2"]);
    b.ask("task t echo", "task t started");
    link(&mut a, &b_at);
    a.ask("locate t old", "located t as old");
    a.ask("deliver old first", "delivered old");
    b.expect_line("t got first");
    b.kill();
    drop(b);

    let mut b = Proc::spawn("b (second run)", PROBE, &fixed);
    assert_eq!(
        b.location("node at "),
        b_at,
        "the restarted node's location"
    );
    b.ask("task t echo", "task t started");
    link(&mut a, &b_at);
    a.ask("locate t new", "located t as new");
    a.ask("deliver new second", "delivered new");
    b.expect_line("t got second");
    a.ask("deliver old stale", "not delivered old: ended");
    a.ask("send old stale too", "send old failed: ended");
    b.expect_none(
        "a message through the stale handle",
        Duration::from_millis(500),
        |l| l.contains("stale"),
    );
}

/// `remote_channel_server` / `remote_channel_client`: the client's ten
/// `deliver(n=2)` wait for the server's late subscriber and each reach
/// both; the server prints them all, and the client hears the server's
/// own line on the channel.
#[test]
fn remote_channel_pair() {
    let mut server = on_loopback(
        "remote_channel_server",
        env!("CARGO_BIN_EXE_remote_channel_server"),
        &["0.3"],
    );
    let at = server.location("server at ");
    let mut client = on_loopback(
        "remote_channel_client",
        env!("CARGO_BIN_EXE_remote_channel_client"),
        &["--peer", &at, "0.3"],
    );
    client.expect_line(&format!("server is at {at}"));
    client.expect_line("delivered to 2");
    server.expect_line("receiver subscribed");
    server.send("hello clients");
    client.expect_line(&format!(
        "received \"hello clients\" from receiver_proc at {at}"
    ));
    for _ in 1..10 {
        client.expect_line("delivered to 2");
    }
    for x in 0..10 {
        server.expect_prefix(&format!("received \"message {x}\" from sender_proc at "));
        client.expect_prefix(&format!("received \"message {x}\" from sender_proc at "));
    }
    server.expect_prefix("received end from sender_proc at ");
    client.expect_prefix("received end from sender_proc at ");
    client.expect_success(Duration::from_secs(10));
    // The end of input stops the server.
    server.close_stdin();
    server.expect_success(Duration::from_secs(5));
}

/// `chat_chan_server` / `chat_chan_client`: joins and leaves are announced
/// (and printed by the server), lines reach the other clients with their
/// author's name, shouting is dropped by the channel's transform, and a
/// client killed without `quit` is reported lost through peer status.
#[test]
fn chat_chan_pair() {
    let server_bin = env!("CARGO_BIN_EXE_chat_chan_server");
    let client_bin = env!("CARGO_BIN_EXE_chat_chan_client");
    let mut server = on_loopback(
        "chat_chan_server",
        server_bin,
        &["--msg-timeout", "1", "--max-connection-errors", "2"],
    );
    let at = server.location("server at ");
    let client = |name: &str| {
        let mut proc = on_loopback(name, client_bin, &["--peer", &at, "--name", name]);
        proc.expect_line(&format!("joined chat at {at}"));
        proc
    };
    let mut alice = client("alice");
    server.expect_line("alice joined");
    let mut bob = client("bob");
    server.expect_line("bob joined");
    alice.expect_line("bob joined :-)");
    alice.send("hello bob");
    bob.expect_line("alice says: hello bob");
    bob.send("STOP SHOUTING");
    bob.send("sorry");
    alice.expect_line("bob says: sorry");
    assert!(
        !alice.seen().iter().any(|l| l.contains("SHOUTING")),
        "the transform drops shouting; alice saw {:?}",
        alice.seen()
    );
    bob.send("quit");
    bob.expect_line("left chat");
    bob.expect_success(Duration::from_secs(5));
    server.expect_line("bob left");
    alice.expect_line("bob left :-(");

    let mut carol = client("carol");
    server.expect_line("carol joined");
    alice.expect_line("carol joined :-)");
    carol.kill();
    server.expect_by("carol lost", Duration::from_secs(8), |l| l == "carol lost");
    alice.expect_line("carol left :-(");

    alice.close_stdin();
    alice.expect_line("left chat");
    server.expect_line("alice left");
    server.quit();
}

/// `pico_service_task` / `pico_client_task`: requests carry the client
/// task's handle and the service replies to it across the network; a
/// client with another secret is never served.
#[test]
fn pico_service_pair() {
    let mut service = on_loopback(
        "pico_service_task",
        env!("CARGO_BIN_EXE_pico_service_task"),
        &[],
    );
    let at = service.location("server at ");
    let mut args = vec!["--peer", &at, "2", "0.2"];
    let mut client = on_loopback(
        "pico_client_task",
        env!("CARGO_BIN_EXE_pico_client_task"),
        &args,
    );
    client.expect_line(&format!("pico service is at {at}"));
    for _ in 0..2 {
        let reply = client.expect_prefix(&format!("reply from pico_service at {at}: "));
        assert!(reply.ends_with(" s since the epoch"), "{reply}");
        service.expect_prefix("served time to client_proc at 127.0.0.1:");
    }
    client.expect_success(Duration::from_secs(5));

    // Few attempts, so that its failing link gives up soon.
    args.extend_from_slice(&["--secret", "not PycOS", "--max-connection-errors", "2"]);
    let mut stranger = on_loopback(
        "pico_client_task (wrong secret)",
        env!("CARGO_BIN_EXE_pico_client_task"),
        &args,
    );
    stranger.wait_exit(Duration::from_secs(10));
    assert!(
        !stranger.seen().iter().any(|l| l.starts_with("reply")),
        "a client with a wrong secret got {:?}",
        stranger.seen()
    );
    service.expect_none(
        "service for the stranger",
        Duration::from_millis(200),
        |l| l.starts_with("served"),
    );
    service.quit();
}

/// `chat_server2`: one broadcasting task relays each client's lines to the
/// others, prints joins and leaves, and closes the connections at `quit`.
#[test]
fn chat_server2_relays_through_one_task() {
    let mut server = Proc::spawn(
        "chat_server2",
        env!("CARGO_BIN_EXE_chat_server2"),
        &["127.0.0.1", "0"],
    );
    let addr = server.location("server at ");
    let port = addr.rsplit(':').next().unwrap_or_default().to_owned();
    let client_bin = env!("CARGO_BIN_EXE_chat_client");
    // The id the server gives the client that joins next.
    let joined = |server: &mut Proc| {
        server
            .expect_prefix("")
            .trim_end_matches(" joined")
            .to_owned()
    };
    let mut alice = Proc::spawn("alice", client_bin, &["127.0.0.1", &port]);
    let alice_id = joined(&mut server);
    let mut bob = Proc::spawn("bob", client_bin, &["127.0.0.1", &port]);
    let bob_id = joined(&mut server);
    assert_ne!(alice_id, bob_id, "two clients, two ids");
    alice.send("hi bob");
    bob.expect_by("with alice's line", Duration::from_secs(5), |l| {
        l.ends_with(&format!("{alice_id} says: hi bob"))
    });
    bob.send("hi alice");
    alice.expect_by("with bob's line", Duration::from_secs(5), |l| {
        l.ends_with(&format!("{bob_id} says: hi alice"))
    });
    bob.send("quit");
    bob.wait_exit(Duration::from_secs(5));
    server.expect_line(&format!("{bob_id} left"));
    server.quit();
    // The server closed alice's connection: her client ends by itself.
    alice.wait_exit(Duration::from_secs(5));
}
