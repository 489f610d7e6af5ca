//! Discovery between two nodes in two network namespaces joined by a veth
//! pair, so no datagram reaches a real network.
//!
//! The tests re-run this test binary inside the namespaces (`ip netns exec
//! NS <this binary> netns_child --exact`) with `PYCOS_NETNS_ROLE` naming
//! what the child does; the children report on stdout in lines starting
//! with `PYCOS-CHILD`. A guard kills every child by its pid and deletes the
//! namespaces when a test ends, passed or failed. Without the rights to
//! create namespaces (not root) a test prints why it is skipped and passes.
//!
//! ```text
//! sudo -E cargo test -p pycos-net --test discovery_netns -- --nocapture
//! ```

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pycos::Pycos;
use pycos_net::Location;
use pycos_net::discovery::{self, Announce, AnnounceKind, DEFAULT_UDP_PORT, DiscoveryConfig};

const ROLE: &str = "PYCOS_NETNS_ROLE";
const PREFIX: &str = "PYCOS-CHILD ";
/// A child ends by itself after this long, should its parent vanish.
const CHILD_LIFETIME: Duration = Duration::from_secs(60);
const SECRET: &[u8] = b"netns test token";

// ---------------------------------------------------------------- parent

/// Two namespaces joined by a veth pair, `10.77.<subnet>.1` in the first
/// and `.2` in the second, and the children running in them.
struct Lab {
    namespaces: Vec<String>,
    subnet: u8,
    children: Vec<(Child, Option<ChildStdin>)>,
    lines_tx: Sender<(usize, String)>,
    lines: Receiver<(usize, String)>,
    seen: Vec<(usize, String)>,
}

impl Lab {
    /// The lab, or `None` (having printed why) when namespaces cannot be
    /// made here.
    fn create(tag: &str, subnet: u8) -> Option<Lab> {
        let (lines_tx, lines) = mpsc::channel();
        let pid = std::process::id();
        let mut lab = Lab {
            namespaces: Vec::new(),
            subnet,
            children: Vec::new(),
            lines_tx,
            lines,
            seen: Vec::new(),
        };
        for side in ["a", "b"] {
            let name = format!("pycos-t-{pid}-{tag}-{side}");
            if let Err(why) = ip(&["netns", "add", &name]) {
                println!("skipped: cannot create network namespaces: {why}");
                return None;
            }
            lab.namespaces.push(name);
        }
        let (a, b) = (lab.namespaces[0].clone(), lab.namespaces[1].clone());
        let (addr_a, addr_b) = (
            format!("10.77.{subnet}.1/24"),
            format!("10.77.{subnet}.2/24"),
        );
        let setup = [
            vec![
                "-n", &a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", &b,
            ],
            vec!["-n", &a, "addr", "add", &addr_a, "dev", "va"],
            vec!["-n", &b, "addr", "add", &addr_b, "dev", "vb"],
            vec!["-n", &a, "link", "set", "va", "up"],
            vec!["-n", &b, "link", "set", "vb", "up"],
            vec!["-n", &a, "link", "set", "lo", "up"],
            vec!["-n", &b, "link", "set", "lo", "up"],
        ];
        for args in setup {
            if let Err(why) = ip(&args) {
                panic!("namespaces were created but cannot be wired: {why}");
            }
        }
        Some(lab)
    }

    /// The address of side `side` (0 or 1).
    fn addr(&self, side: usize) -> Ipv4Addr {
        Ipv4Addr::new(10, 77, self.subnet, side as u8 + 1)
    }

    /// Starts this binary's `netns_child` in namespace `side` in `role`;
    /// the child's index.
    fn spawn(&mut self, side: usize, role: &str, env: &[(&str, String)]) -> usize {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut child = Command::new("ip")
            .args(["netns", "exec", &self.namespaces[side]])
            .arg(exe)
            .args(["netns_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(ROLE, role)
            .env("PYCOS_NETNS_ADDR", self.addr(side).to_string())
            .envs(env.iter().map(|(k, v)| (*k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run ip netns exec");
        let index = self.children.len();
        let stdout = child.stdout.take().expect("piped stdout");
        let tx = self.lines_tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // libtest may have printed `test netns_child ... ` first.
                if let Some(at) = line.find(PREFIX) {
                    let _ = tx.send((index, line[at + PREFIX.len()..].to_owned()));
                }
            }
        });
        let stdin = child.stdin.take();
        self.children.push((child, stdin));
        index
    }

    /// Tells child `index` one line.
    fn tell(&mut self, index: usize, line: &str) {
        let stdin = self.children[index].1.as_mut().expect("child stdin");
        writeln!(stdin, "{line}").expect("write to the child");
    }

    /// Waits until `done` holds for the reports seen so far (every report
    /// is also passed to `check`, which fails the test on a bad one), for
    /// at most `limit`.
    fn wait_until(
        &mut self,
        limit: Duration,
        what: &str,
        mut done: impl FnMut(&[(usize, String)]) -> bool,
    ) {
        let deadline = Instant::now() + limit;
        while !done(&self.seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(report) => self.seen.push(report),
                Err(_) => panic!(
                    "{what}: not within {limit:?}; the children reported {:#?}",
                    self.seen
                ),
            }
        }
    }

    /// Collects reports for `window`; the new ones.
    fn collect_for(&mut self, window: Duration) -> Vec<(usize, String)> {
        let deadline = Instant::now() + window;
        let start = self.seen.len();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(report) => self.seen.push(report),
                Err(_) => break,
            }
        }
        self.seen[start..].to_vec()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for (child, stdin) in &mut self.children {
            drop(stdin.take());
            let _ = child.kill(); // by pid: `ip netns exec` execs the binary
            let _ = child.wait();
        }
        for name in &self.namespaces {
            if let Err(why) = ip(&["netns", "del", name]) {
                eprintln!("cannot delete network namespace {name}: {why}");
            }
        }
    }
}

/// Runs `ip args`; its stderr when it fails.
fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `ip`: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`ip {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn has(seen: &[(usize, String)], child: usize, prefix: &str) -> bool {
    seen.iter()
        .any(|(i, line)| *i == child && line.starts_with(prefix))
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
    lab.wait_until(
        Duration::from_secs(20),
        "both nodes discover each other",
        |seen| has(seen, a, "found beta") && has(seen, b, "found alpha"),
    );
    let line = |child| {
        lab.seen
            .iter()
            .find(|(i, line)| *i == child && line.starts_with("found"))
            .map(|(_, line)| line.clone())
            .unwrap()
    };
    // `found NAME LOCATION FROM`: the TCP location announced, from the
    // peer's address.
    assert!(
        line(a).starts_with("found beta 10.77.1.2:9706 10.77.1.2:"),
        "{}",
        line(a)
    );
    assert!(
        line(b).starts_with("found alpha 10.77.1.1:9706 10.77.1.1:"),
        "{}",
        line(b)
    );
}

#[test]
fn discovery_off_sends_nothing() {
    let Some(mut lab) = Lab::create("o", 2) else {
        return;
    };
    let listener = lab.spawn(1, "listen", &[]);
    lab.wait_until(
        Duration::from_secs(20),
        "the raw listener is ready",
        |seen| has(seen, listener, "ready"),
    );
    let node = lab.spawn(0, "off-then-on", &[("PYCOS_NETNS_NAME", "quiet".into())]);
    lab.wait_until(
        Duration::from_secs(20),
        "the node started with discovery off",
        |seen| has(seen, node, "off"),
    );
    let off = lab
        .seen
        .iter()
        .find(|(i, l)| *i == node && l.starts_with("off"))
        .unwrap()
        .1
        .clone();
    assert_eq!(
        off, "off none udp-sockets 0",
        "discovery off opened a socket"
    );
    let heard = lab.collect_for(Duration::from_millis(1500));
    assert!(
        !heard.iter().any(|(i, _)| *i == listener),
        "a node with discovery off sent datagrams: {heard:?}"
    );
    // The control: the same listener hears the node once discovery is on.
    lab.tell(node, "on");
    lab.wait_until(
        Duration::from_secs(20),
        "the listener hears the node with discovery on",
        |seen| has(seen, listener, "got"),
    );
}

// ---------------------------------------------------------------- children

/// The child side; does nothing unless run by a test above.
#[test]
fn netns_child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    std::thread::spawn(|| {
        std::thread::sleep(CHILD_LIFETIME);
        std::process::exit(3);
    });
    let addr: Ipv4Addr = env("PYCOS_NETNS_ADDR").parse().expect("an IPv4 address");
    match role.as_str() {
        "node" => node(addr),
        "listen" => listen(addr),
        "off-then-on" => off_then_on(addr),
        other => panic!("unknown role {other:?}"),
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

fn report(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{PREFIX}{line}").unwrap();
    out.flush().unwrap();
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
