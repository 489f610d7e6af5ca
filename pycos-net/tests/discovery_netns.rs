//! Discovery between two nodes in two network namespaces joined by a veth
//! pair, so no datagram reaches a real network.
//!
//! The tests re-run this test binary inside the namespaces (`ip netns exec
//! NS <this binary> netns_child --exact`) with `PYCOS_TEST_ROLE` naming
//! what the child does; the children report on stdout in lines starting
//! with `PYCOS-CHILD`. A guard kills every child by its pid and deletes the
//! namespaces when a test ends, passed or failed. Without the rights to
//! create namespaces (not root) a test prints why it is skipped and passes.
//!
//! ```text
//! sudo -E cargo test -p pycos-net --test discovery_netns -- --nocapture
//! ```

mod support;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pycos::Pycos;
use pycos_net::Location;
use pycos_net::discovery::{self, Announce, AnnounceKind, DEFAULT_UDP_PORT, DiscoveryConfig};
use support::{Children, ROLE, env, report};

/// A child ends by itself after this long, should its parent vanish.
const CHILD_LIFETIME: Duration = Duration::from_secs(60);
const SECRET: &[u8] = b"netns test token";
const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------- parent

/// Two namespaces joined by a veth pair, `10.77.<subnet>.1` in the first
/// and `.2` in the second, and the children running in them.
struct Lab {
    children: Children,
    namespaces: [String; 2],
    subnet: u8,
}

impl Lab {
    /// The lab, or `None` (having printed why) when namespaces cannot be
    /// made here.
    fn create(tag: &str, subnet: u8) -> Option<Lab> {
        let mut children = Children::new();
        let net = format!("10.77.{subnet}");
        let namespaces =
            support::veth_pair(&mut children, &format!("t-{tag}"), &net, ["va", "vb"])?;
        Some(Lab {
            children,
            namespaces,
            subnet,
        })
    }

    /// The address of side `side` (0 or 1).
    fn addr(&self, side: usize) -> Ipv4Addr {
        Ipv4Addr::new(10, 77, self.subnet, side as u8 + 1)
    }

    /// Starts this binary's `netns_child` in namespace `side` in `role`;
    /// the child's index.
    fn spawn(&mut self, side: usize, role: &str, env: &[(&str, String)]) -> usize {
        let mut env = env.to_vec();
        env.push(("PYCOS_NETNS_ADDR", self.addr(side).to_string()));
        let netns = self.namespaces[side].clone();
        self.children.spawn("netns_child", role, &env, Some(&netns))
    }

    /// Waits for a report of `child` starting with `prefix`; the line.
    fn wait(&mut self, child: usize, what: &str, prefix: &str) -> String {
        self.children
            .wait_line(child, 0, WAIT, what, |line| line.starts_with(prefix))
    }
}

#[test]
fn discovery_finds_the_peer_across_namespaces() {
    let Some(mut lab) = Lab::create("f", 1) else {
        return;
    };
    let a = lab.spawn(
        0,
        "node",
        &[
            ("PYCOS_NETNS_NAME", "alpha".into()),
            ("PYCOS_NETNS_PEER", "beta".into()),
        ],
    );
    let b = lab.spawn(
        1,
        "node",
        &[
            ("PYCOS_NETNS_NAME", "beta".into()),
            ("PYCOS_NETNS_PEER", "alpha".into()),
        ],
    );
    // `found NAME LOCATION FROM`: the TCP location announced, from the
    // peer's address.
    let found_by_a = lab.wait(a, "alpha discovers beta", "found beta");
    let found_by_b = lab.wait(b, "beta discovers alpha", "found alpha");
    assert!(
        found_by_a.starts_with("found beta 10.77.1.2:9706 10.77.1.2:"),
        "{found_by_a}"
    );
    assert!(
        found_by_b.starts_with("found alpha 10.77.1.1:9706 10.77.1.1:"),
        "{found_by_b}"
    );
}

#[test]
fn discovery_off_sends_nothing() {
    let Some(mut lab) = Lab::create("o", 2) else {
        return;
    };
    let listener = lab.spawn(1, "listen", &[]);
    lab.wait(listener, "the raw listener is ready", "ready");
    let node = lab.spawn(0, "off-then-on", &[("PYCOS_NETNS_NAME", "quiet".into())]);
    let off = lab.wait(node, "the node started with discovery off", "off");
    assert_eq!(
        off, "off none udp-sockets 0",
        "discovery off opened a socket"
    );
    let mark = lab.children.mark();
    lab.children.collect_for(Duration::from_millis(1500));
    let heard = lab.children.lines_since(listener, mark, |_| true);
    assert!(
        heard.is_empty(),
        "a node with discovery off sent datagrams: {heard:?}"
    );
    // The control: the same listener hears the node once discovery is on.
    lab.children.tell(node, "on");
    lab.wait(
        listener,
        "the listener hears the node with discovery on",
        "got",
    );
}

// ---------------------------------------------------------------- children

/// The child side; does nothing unless run by a test above.
#[test]
fn netns_child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    support::limit_lifetime(CHILD_LIFETIME);
    let addr: Ipv4Addr = env("PYCOS_NETNS_ADDR").parse().expect("an IPv4 address");
    match role.as_str() {
        "node" => node(addr),
        "listen" => listen(addr),
        "off-then-on" => off_then_on(addr),
        other => panic!("unknown role {other:?}"),
    }
}

fn config(addr: Ipv4Addr, enabled: bool) -> DiscoveryConfig {
    DiscoveryConfig {
        enabled,
        interfaces: vec![IpAddr::V4(addr)],
        secret: Some(SECRET.to_vec()),
        ..DiscoveryConfig::new(Announce {
            kind: AnnounceKind::Ping,
            incarnation: fastrand::u64(..),
            location: Location::new(addr.into(), 9706),
            name: env("PYCOS_NETNS_NAME"),
        })
    }
}

type Found = Arc<Mutex<Vec<(Announce, SocketAddr)>>>;

fn recorder() -> (Found, discovery::OnFound) {
    let found: Found = Arc::default();
    let sink = found.clone();
    (
        found,
        Arc::new(move |a, from| sink.lock().unwrap().push((a, from))),
    )
}

/// A node that reports its peer once found and runs until killed.
fn node(addr: Ipv4Addr) {
    let peer = env("PYCOS_NETNS_PEER");
    let sched = Pycos::new();
    let (found, on_found) = recorder();
    let service = discovery::start(&sched, config(addr, true), on_found)
        .expect("discovery starts")
        .expect("discovery is on");
    let mut reported = false;
    loop {
        let hit = found
            .lock()
            .unwrap()
            .iter()
            .find(|(a, _)| a.name == peer)
            .cloned();
        match hit {
            Some((a, from)) if !reported => {
                report(&format!("found {} {} {from}", a.name, a.location));
                reported = true;
            }
            // Until found, ping again: the peer may have started later.
            None => service.ping_now(),
            Some(_) => {}
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A raw socket on the discovery port, joined to the group: reports
/// every datagram.
fn listen(addr: Ipv4Addr) {
    let sock = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, DEFAULT_UDP_PORT)).expect("bind the port");
    sock.join_multicast_v4(&discovery::GROUP_V4, &addr)
        .expect("join the group");
    report("ready");
    let mut buf = [0; 2048];
    loop {
        let (n, from) = sock.recv_from(&mut buf).expect("receive");
        report(&format!("got {n} bytes from {from}"));
    }
}

/// A node with discovery off until told `on`.
fn off_then_on(addr: Ipv4Addr) {
    let sched = Pycos::new();
    let (_, on_found) = recorder();
    let off = discovery::start(&sched, config(addr, false), on_found.clone()).expect("start");
    let udp = udp_sockets();
    report(&format!(
        "off {} udp-sockets {udp}",
        if off.is_none() { "none" } else { "some" }
    ));
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).expect("read stdin");
    assert_eq!(line.trim(), "on");
    let service = discovery::start(&sched, config(addr, true), on_found)
        .expect("discovery starts")
        .expect("discovery is on");
    loop {
        service.ping_now();
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// UDP sockets open in this network namespace (the child is alone in it).
fn udp_sockets() -> usize {
    ["/proc/self/net/udp", "/proc/self/net/udp6"]
        .iter()
        .map(|path| {
            std::fs::read_to_string(path)
                .map(|table| table.lines().skip(1).count())
                .unwrap_or(0)
        })
        .sum()
}
