//! Attacks on a real node process, each refused on the wire and seen
//! refused by the node itself (its log lines, reported by the child),
//! while the node keeps serving a good peer.
//!
//! The tests re-run this test binary as node processes (`security_child`
//! with `PYCOS_TEST_ROLE`), all on 127.0.0.1 with ephemeral ports:
//! - `server`: a node with the shared secret whose task `echo` reports
//!   every message it receives (`echo u64 N`, `echo ping N`) and answers a
//!   [`Ping`] with its number; it reports its location and `echo`'s id;
//! - `client`: a node (the good peer, or with another secret the intruder)
//!   that on `peer LOC` links to LOC and on `ping LOC N` pings `echo` there.
//!
//! The attacker is the test process itself, speaking raw frames through a
//! `TcpStream` (and the handshake state machine where it needs one). A
//! guard kills every child by pid when a test ends.

mod support;

use std::collections::BTreeMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pycos::prelude::*;
use pycos::{Msg, TaskId};
use pycos_net::handshake::{
    self, Handshake, HandshakeConfig, HandshakeError, PROTOCOL_VERSION, RefuseReason, Role, Step,
};
use pycos_net::wire::{Codec, Frame, FrameKind, FrameReader, write_frame};
use pycos_net::{Location, Node};
use serde::{Deserialize, Serialize};
use support::{Children, ROLE, env, limit_lifetime, report, report_node_log};

const ENTRY: &str = "security_child";
const SECRET: &str = "net-security shared secret 5d1c";
const OTHER_SECRET: &str = "an intruder's guess 0b7e";
/// The server's message timeout: its handshake limit is min(this, 5 s).
const MSG_TIMEOUT: Duration = Duration::from_secs(3);
const HANDSHAKE_LIMIT: Duration = MSG_TIMEOUT;
/// The server's largest frame after authentication.
const MAX_FRAME: usize = 64 << 10;
/// The largest frame before authentication (`link::conn`).
const HANDSHAKE_MAX_FRAME: usize = 4096;
/// How long any one expected report may take.
const WAIT: Duration = Duration::from_secs(15);

/// What the good peer sends `echo`: answered with `n`.
#[derive(Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "net_security::Ping")]
struct Ping {
    from: Task,
    n: u64,
}

// ---------------------------------------------------------------- parent

/// A server child, and the good client once [`Lab::client`] made it.
struct Lab {
    kids: Children,
    server: usize,
    at: SocketAddr,
    echo: TaskId,
    client: Option<usize>,
}

impl Lab {
    fn new() -> Lab {
        let mut kids = Children::new();
        let server = kids.spawn(ENTRY, "server", &[], None);
        let line = kids.wait_line(server, 0, WAIT, "the server is ready", |l| {
            l.starts_with("ready ")
        });
        let parts: Vec<&str> = line.split(' ').collect();
        let at: Location = parts[1].parse().expect("the server's location");
        let echo = TaskId::from_parts(parts[2].parse().unwrap(), parts[3].parse().unwrap());
        Lab {
            kids,
            server,
            at: at.socket_addr(),
            echo,
            client: None,
        }
    }

    /// Starts a client node with `secret` and asks it to link to `to`;
    /// its index and the `peer-ok`/`peer-err` line.
    fn spawn_client(&mut self, secret: &str, to: SocketAddr) -> (usize, String) {
        let child = self.kids.spawn(
            ENTRY,
            "client",
            &[("PYCOS_SEC_SECRET", secret.into())],
            None,
        );
        self.kids
            .wait_line(child, 0, WAIT, "a client is up", |l| l == "up");
        let mark = self.kids.mark();
        self.kids.tell(child, &format!("peer {to}"));
        let line = self
            .kids
            .wait_line(child, mark, WAIT, "the client links", |l| {
                l.starts_with("peer-")
            });
        (child, line)
    }

    /// The good client, linked to `to` (the server or a proxy before it).
    fn client(&mut self, to: SocketAddr) -> usize {
        let (child, line) = self.spawn_client(SECRET, to);
        assert_eq!(line, format!("peer-ok {to}"), "the good client cannot link");
        self.client = Some(child);
        // Locating `echo` also exports it: peers may then name it by id.
        self.serves(0, Some(to));
        child
    }

    /// The good client pings `echo` at `via` (default the server) and gets
    /// `n` back.
    fn serves(&mut self, n: u64, via: Option<SocketAddr>) {
        let client = self.client.expect("a client first");
        let via = via.unwrap_or(self.at);
        let mark = self.kids.mark();
        self.kids.tell(client, &format!("ping {via} {n}"));
        let line = self
            .kids
            .wait_line(client, mark, WAIT, "the good peer's ping", |l| {
                l.ends_with(&format!(" {n}"))
                    && (l.starts_with("pong") || l.starts_with("ping-fail"))
            });
        assert_eq!(
            line,
            format!("pong {n}"),
            "the node stopped serving the good peer"
        );
    }

    /// Waits for the server's log line refusing an incoming connection
    /// (after `from`) whose reason holds `needle`; the line.
    fn refused(&mut self, from: usize, needle: &str) -> String {
        self.kids.wait_line(
            self.server,
            from,
            WAIT,
            &format!("the server logs a refusal naming {needle:?}"),
            |l| {
                l.starts_with("log ")
                    && l.contains("incoming connection refused")
                    && l.contains(needle)
            },
        )
    }

    /// The server's log lines after `from` holding `needle`.
    fn server_logs(&mut self, from: usize, needle: &str) -> Vec<String> {
        self.kids.lines_since(self.server, from, |l| {
            l.starts_with("log ") && l.contains(needle)
        })
    }

    /// Waits until the server logged `count` lines after `from` holding
    /// `needle`; those lines.
    fn wait_logs(&mut self, from: usize, needle: &str, count: usize) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let lines = self.server_logs(from, needle);
            if lines.len() >= count {
                return lines;
            }
            assert!(
                Instant::now() < deadline,
                "the server logged {} of {count} lines naming {needle:?}: {lines:#?}",
                lines.len()
            );
            self.kids.collect_for(Duration::from_millis(50));
        }
    }

    /// Everything `echo` received so far, as its report lines.
    fn echoed(&mut self) -> Vec<String> {
        self.kids
            .lines_since(self.server, 0, |l| l.starts_with("echo "))
    }

    /// Waits until `echo` reports `line`.
    fn echo_gets(&mut self, line: &str) {
        self.kids.wait_line(
            self.server,
            0,
            WAIT,
            &format!("echo reports {line:?}"),
            |l| l == line,
        );
    }

    /// The server's peak virtual memory, in KiB.
    fn server_vm_peak(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.kids.pid(self.server)))
                .expect("the server's /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmPeak:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmPeak in /proc status")
    }
}

/// A raw connection: the attacker's side.
struct Raw {
    sock: TcpStream,
    reader: FrameReader,
    pending: Vec<u8>,
    closed: bool,
}

impl Raw {
    fn connect(at: SocketAddr) -> Raw {
        let sock = TcpStream::connect(at).expect("connect to the server");
        sock.set_nodelay(true).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        Raw {
            sock,
            reader: FrameReader::new(1 << 20),
            pending: Vec::new(),
            closed: false,
        }
    }

    /// Sends bytes; false once the node closed the connection.
    fn send(&mut self, bytes: &[u8]) -> bool {
        self.sock.write_all(bytes).is_ok()
    }

    fn send_frame(&mut self, kind: FrameKind, body: &[u8]) -> bool {
        let mut out = Vec::new();
        write_frame(kind, body, &mut out).unwrap();
        self.send(&out)
    }

    /// One read (at most 50 ms); false at the end of the stream.
    fn read_some(&mut self) -> bool {
        let mut buf = [0; 16 << 10];
        match self.sock.read(&mut buf) {
            Ok(0) => false,
            Ok(n) => {
                self.pending.extend_from_slice(&buf[..n]);
                true
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => true,
            Err(_) => false, // reset: closed as well
        }
    }

    /// The next frame, or `None` once the node closed the connection.
    fn next(&mut self, limit: Duration, what: &str) -> Option<Frame> {
        let deadline = Instant::now() + limit;
        loop {
            let used = self.reader.push(&self.pending);
            self.pending.drain(..used);
            if let Some(frame) = self
                .reader
                .next_frame()
                .expect("the node sends valid frames")
            {
                return Some(frame);
            }
            if self.closed {
                return None;
            }
            if !self.read_some() {
                self.closed = true;
                continue; // frames already read come first
            }
            assert!(
                Instant::now() < deadline,
                "{what}: nothing within {limit:?}"
            );
        }
    }

    /// Reads until the node closes the connection (within `limit`); the
    /// frames it sent.
    fn until_closed(&mut self, limit: Duration, what: &str) -> Vec<Frame> {
        let deadline = Instant::now() + limit;
        let mut frames = Vec::new();
        while let Some(frame) = self.next(deadline.saturating_duration_since(Instant::now()), what)
        {
            frames.push(frame);
        }
        frames
    }
}

fn hs_config(secret: Option<&str>) -> HandshakeConfig {
    HandshakeConfig {
        name: "raw".into(),
        incarnation: fastrand::u64(1..),
        // Nothing listens there: the node's dial back is refused at once.
        location: Location::new(Ipv4Addr::LOCALHOST.into(), 9),
        secret: secret.map(|s| s.as_bytes().to_vec()),
        tls_exporter: None,
    }
}

/// A raw connection through a complete handshake with the right secret.
fn authenticated(at: SocketAddr) -> Raw {
    let mut raw = Raw::connect(at);
    let (mut machine, hello) = Handshake::new(Role::Dialer, &hs_config(Some(SECRET))).unwrap();
    assert!(raw.send(&hello));
    loop {
        let frame = raw
            .next(WAIT, "the server's handshake")
            .expect("the server closed a good handshake");
        match machine.on_frame(frame.kind(), frame.body()) {
            Ok(Step::Send(bytes)) => assert!(raw.send(&bytes)),
            Ok(Step::Done(peer)) => {
                assert_eq!(peer.name, "server");
                return raw;
            }
            Ok(other) => panic!("unexpected step {other:?}"),
            Err(err) => panic!("a good handshake failed: {err}"),
        }
    }
}

/// The refusal the node's Close frame carries (decoded as this build).
fn refusal(frames: &[Frame]) -> RefuseReason {
    let close = frames
        .iter()
        .find(|f| f.kind() == FrameKind::Close)
        .unwrap_or_else(|| panic!("no Close frame among {frames:?}"));
    match handshake::__fuzz::close(close.body()) {
        HandshakeError::Refused { reason, .. } => reason,
        other => panic!("a Close that is no refusal: {other}"),
    }
}

fn kinds(frames: &[Frame]) -> Vec<FrameKind> {
    frames.iter().map(Frame::kind).collect()
}

#[test]
fn wrong_secret_is_refused_on_both_sides() {
    let mut lab = Lab::new();
    lab.client(lab.at);
    lab.serves(1, None);
    let mark = lab.kids.mark();
    let (_, line) = lab.spawn_client(OTHER_SECRET, lab.at);
    assert!(
        line.starts_with(&format!("peer-err {}", lab.at)) && line.contains("secrets differ"),
        "the intruder's error does not name the secret: {line}"
    );
    let logged = lab.refused(mark, "the secrets differ");
    assert!(logged.contains("proof did not verify"), "{logged}");
    // A refusal is final: the intruder does not try again (it is allowed
    // two connection errors, so a retry would show as a second refusal).
    lab.kids.collect_for(Duration::from_millis(500));
    let refusals = lab.server_logs(mark, "incoming connection refused");
    assert_eq!(
        refusals.len(),
        1,
        "a refused link is not retried: {refusals:#?}"
    );
    lab.serves(2, None);
}

#[test]
fn replayed_handshake_is_refused() {
    let mut lab = Lab::new();
    let proxy = Proxy::start(lab.at);
    lab.client(proxy.at);
    lab.serves(1, Some(proxy.at));
    let recorded = proxy.stream(0, true);
    let frames = {
        let mut reader = FrameReader::new(1 << 20);
        reader.push(&recorded);
        std::iter::from_fn(|| reader.next_frame().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(&frames[..2]),
        [FrameKind::Hello, FrameKind::Auth],
        "the proxy did not record a handshake"
    );
    lab.echo_gets("echo ping 1");

    // The whole recorded dialer stream (handshake and the request after
    // it) on a new connection: the node's fresh nonce makes the old proof
    // fail.
    let mark = lab.kids.mark();
    let mut raw = Raw::connect(lab.at);
    raw.send(&recorded);
    let got = raw.until_closed(WAIT, "the node closes the replay");
    assert_eq!(
        refusal(&got),
        RefuseReason::Secret,
        "frames: {:?}",
        kinds(&got)
    );
    assert_eq!(
        kinds(&got).last(),
        Some(&FrameKind::Close),
        "{:?}",
        kinds(&got)
    );
    lab.refused(mark, "the secrets differ");
    lab.serves(2, Some(proxy.at));
    lab.serves(3, None);
    // The replayed ping never reached echo: only the two new ones did.
    lab.echo_gets("echo ping 3");
    let echoed = lab.echoed();
    assert_eq!(
        echoed,
        ["echo ping 0", "echo ping 1", "echo ping 2", "echo ping 3"],
        "the replayed stream reached echo"
    );
}

#[test]
fn reflected_hello_and_auth_are_refused() {
    let mut lab = Lab::new();
    lab.client(lab.at);
    let mark = lab.kids.mark();

    // The node's own Hellos, each sent back on the other connection.
    let (mut a, mut b) = (Raw::connect(lab.at), Raw::connect(lab.at));
    let hello_a = a.next(WAIT, "hello on a").expect("a hello");
    let hello_b = b.next(WAIT, "hello on b").expect("a hello");
    assert_eq!(
        (hello_a.kind(), hello_b.kind()),
        (FrameKind::Hello, FrameKind::Hello)
    );
    a.send_frame(FrameKind::Hello, hello_b.body());
    b.send_frame(FrameKind::Hello, hello_a.body());
    for (raw, side) in [(&mut a, "a"), (&mut b, "b")] {
        let got = raw.until_closed(WAIT, &format!("the node closes reflected hello {side}"));
        assert_eq!(
            refusal(&got),
            RefuseReason::SelfConnect,
            "{side}: {:?}",
            kinds(&got)
        );
    }

    // The node's own Auth sent back: on its connection and on another.
    let (_, hello) = Handshake::new(Role::Dialer, &hs_config(None)).unwrap();
    let (mut c, mut d) = (Raw::connect(lab.at), Raw::connect(lab.at));
    let mut auths = Vec::new();
    for raw in [&mut c, &mut d] {
        raw.send(&hello);
        let hello = raw.next(WAIT, "the node's hello").expect("a hello");
        let auth = raw.next(WAIT, "the node's auth").expect("an auth");
        assert_eq!(
            (hello.kind(), auth.kind()),
            (FrameKind::Hello, FrameKind::Auth)
        );
        auths.push(auth);
    }
    c.send_frame(FrameKind::Auth, auths[0].body());
    d.send_frame(FrameKind::Auth, auths[0].body());
    for (raw, side) in [(&mut c, "own"), (&mut d, "cross")] {
        let got = raw.until_closed(WAIT, &format!("the node closes the {side} reflected auth"));
        assert_eq!(
            refusal(&got),
            RefuseReason::Secret,
            "{side}: {:?}",
            kinds(&got)
        );
    }
    lab.serves(1, None);
    // Each refusal also in the node's log.
    lab.wait_logs(mark, "is this node itself", 2);
    lab.wait_logs(mark, "the secrets differ", 2);
}

/// A raw handshake claiming `version` and `codec`: the local error on the
/// node's Hello and the error its Close means.
fn mismatched(at: SocketAddr, version: u16, codec: Codec) -> (HandshakeError, HandshakeError) {
    let cfg = hs_config(Some(SECRET));
    let (mut on_hello, hello) = Handshake::with_wire(Role::Dialer, &cfg, version, codec).unwrap();
    let (mut on_close, _) = Handshake::with_wire(Role::Dialer, &cfg, version, codec).unwrap();
    let mut raw = Raw::connect(at);
    raw.send(&hello);
    let got = raw.until_closed(WAIT, "the node closes a mismatched handshake");
    assert_eq!(kinds(&got), [FrameKind::Hello, FrameKind::Close]);
    let local = on_hello.on_frame(got[0].kind(), got[0].body()).unwrap_err();
    let remote = on_close.on_frame(got[1].kind(), got[1].body()).unwrap_err();
    (local, remote)
}

#[test]
fn version_mismatch_names_both_versions_on_both_sides() {
    let mut lab = Lab::new();
    lab.client(lab.at);
    let mark = lab.kids.mark();
    let theirs = PROTOCOL_VERSION + 8;
    let (local, remote) = mismatched(lab.at, theirs, Codec::ACTIVE);
    assert_eq!(
        local,
        HandshakeError::Version {
            ours: theirs,
            theirs: PROTOCOL_VERSION
        }
    );
    let HandshakeError::Refused { reason, text } = &remote else {
        panic!("not a refusal: {remote}");
    };
    assert_eq!(
        *reason,
        RefuseReason::Version {
            ours: theirs,
            theirs: PROTOCOL_VERSION
        }
    );
    let both = format!("version {PROTOCOL_VERSION}, the peer {theirs}");
    assert!(text.contains(&both), "the node's text: {text}");
    assert!(
        remote
            .to_string()
            .contains(&format!("version {PROTOCOL_VERSION}, this node {theirs}"))
    );
    lab.refused(mark, &both);
    lab.serves(1, None);
}

#[test]
fn codec_mismatch_names_both_codecs_on_both_sides() {
    let mut lab = Lab::new();
    lab.client(lab.at);
    let mark = lab.kids.mark();
    let other = match Codec::ACTIVE {
        Codec::Postcard => Codec::Bincode,
        _ => Codec::Postcard,
    };
    let (local, remote) = mismatched(lab.at, PROTOCOL_VERSION, other);
    let (ours, theirs) = (Codec::ACTIVE.name(), other.name());
    assert_eq!(
        local,
        HandshakeError::Codec {
            ours: theirs,
            theirs: ours.into()
        }
    );
    let text = remote.to_string();
    assert!(
        text.contains(&format!(
            "the peer encodes with {ours}, this node with {theirs}"
        )),
        "{text}"
    );
    lab.refused(
        mark,
        &format!("this node encodes with {ours}, the peer with {theirs}"),
    );
    lab.serves(1, None);
}

#[test]
fn oversize_frames_are_refused_without_allocating_them() {
    let mut lab = Lab::new();
    lab.client(lab.at);
    let peak = lab.server_vm_peak();

    // Before authentication: over the 4 KiB handshake limit (though far
    // under the node's max_frame), and a 4 GiB claim.
    for claim in [HANDSHAKE_MAX_FRAME as u32, u32::MAX] {
        let mark = lab.kids.mark();
        let mut raw = Raw::connect(lab.at);
        raw.send(&claim.to_be_bytes());
        raw.send(&[FrameKind::Hello.byte()]);
        raw.send(&vec![0x55; 64 << 10]);
        let got = raw.until_closed(WAIT, &format!("the node closes a {claim}-byte claim"));
        assert_eq!(kinds(&got), [FrameKind::Hello], "claim {claim}");
        lab.refused(mark, "bad frame");
    }

    // After authentication: a frame over max_frame is skipped, its body
    // counted, and the frame after it served on the same link.
    let mark = lab.kids.mark();
    let mut raw = authenticated(lab.at);
    let over = MAX_FRAME * 4;
    raw.send(&(over as u32 - 4).to_be_bytes());
    raw.send(&[FrameKind::Message.byte()]);
    raw.send(&vec![0xAA; over - 5]);
    let post = pycos_net::__fuzz::send_post(lab.echo, Msg::new(4242_u64)).unwrap();
    assert!(raw.send_frame(FrameKind::Message, &post), "the link closed");
    lab.echo_gets("echo u64 4242");
    lab.wait_logs(mark, "bad frame skipped", 1);
    // A 4 GiB claim on the authenticated link: nothing is reserved for it.
    raw.send(&u32::MAX.to_be_bytes());
    raw.send(&[FrameKind::Message.byte()]);
    raw.send(&vec![0xAA; 256 << 10]);
    lab.serves(1, None);
    drop(raw);
    let grown = lab.server_vm_peak().saturating_sub(peak);
    assert!(
        grown < 256 << 10,
        "the node's peak virtual memory grew by {grown} KiB"
    );
    lab.serves(2, None);
}

#[test]
fn unknown_type_tags_are_dropped_and_the_link_goes_on() {
    let mut lab = Lab::new();
    lab.client(lab.at);
    let mark = lab.kids.mark();
    let mut raw = authenticated(lab.at);
    // A message whose payload's type name no node registered.
    let mut post = pycos_net::__fuzz::send_post(lab.echo, Msg::new(String::from("never"))).unwrap();
    let at = post
        .windows(b"String".len())
        .position(|w| w == b"String")
        .expect("the type name is in the encoding");
    post[at + 5] = b'q'; // `Strinq`
    assert!(raw.send_frame(FrameKind::Message, &post), "the link closed");
    // The same link goes on: the next message arrives.
    let good = pycos_net::__fuzz::send_post(lab.echo, Msg::new(77_u64)).unwrap();
    assert!(raw.send_frame(FrameKind::Message, &good), "the link closed");
    lab.echo_gets("echo u64 77");
    lab.wait_logs(mark, "undecodable message dropped", 1);
    assert!(
        lab.kids
            .lines_since(lab.server, mark, |l| l.contains("never"))
            .is_empty(),
        "the unknown message reached echo"
    );
    lab.serves(1, None);
}

#[test]
fn slowloris_handshake_is_closed_at_the_limit() {
    let mut lab = Lab::new();
    lab.client(lab.at);
    let mark = lab.kids.mark();
    let (_, hello) = Handshake::new(Role::Dialer, &hs_config(Some(SECRET))).unwrap();
    let slow: Vec<_> = (0..3)
        .map(|_| {
            let hello = hello.clone();
            let at = lab.at;
            std::thread::spawn(move || {
                let start = Instant::now();
                let mut raw = Raw::connect(at);
                raw.sock
                    .set_read_timeout(Some(Duration::from_millis(100)))
                    .unwrap();
                let mut sent = 0;
                loop {
                    if sent < hello.len() && !raw.send(&hello[sent..=sent]) {
                        break;
                    }
                    sent += 1;
                    // The read is the 100 ms pause: it ends early only when
                    // the node closes the connection.
                    if !raw.read_some() {
                        break;
                    }
                    assert!(start.elapsed() < HANDSHAKE_LIMIT * 3, "never closed");
                }
                (start.elapsed(), sent)
            })
        })
        .collect();
    // Served meanwhile.
    lab.serves(1, None);
    for thread in slow {
        let (after, sent) = thread.join().expect("a slowloris thread");
        assert!(
            after >= HANDSHAKE_LIMIT - Duration::from_millis(300)
                && after <= HANDSHAKE_LIMIT + Duration::from_secs(2),
            "closed after {after:?}, the limit being {HANDSHAKE_LIMIT:?}"
        );
        assert!(
            sent < hello.len(),
            "the slow hello was complete ({sent} bytes)"
        );
    }
    let logged = lab.wait_logs(mark, "the handshake took too long", 3);
    assert_eq!(logged.len(), 3, "{logged:?}");
    lab.serves(2, None);
}

#[test]
fn frames_before_authentication_execute_nothing() {
    let mut lab = Lab::new();
    lab.client(lab.at);
    let mark = lab.kids.mark();
    let echo = lab.echo;
    let post = |n: u64| pycos_net::__fuzz::send_post(echo, Msg::new(n)).unwrap();
    let deliver = |n: u64| pycos_net::__fuzz::deliver_request(1, echo, Msg::new(n)).unwrap();

    // As the first frame, no hello at all.
    let mut raw = Raw::connect(lab.at);
    raw.send_frame(FrameKind::Message, &post(5001));
    raw.send_frame(FrameKind::Request, &deliver(5002));
    let got = raw.until_closed(WAIT, "the node closes a connection without hello");
    assert_eq!(refusal(&got), RefuseReason::Unexpected, "{:?}", kinds(&got));

    // After a hello, before the proof.
    let mut raw = Raw::connect(lab.at);
    let (_, hello) = Handshake::new(Role::Dialer, &hs_config(Some(SECRET))).unwrap();
    raw.send(&hello);
    raw.send_frame(FrameKind::Request, &deliver(5003));
    raw.send_frame(FrameKind::Message, &post(5004));
    let got = raw.until_closed(WAIT, "the node closes a connection without proof");
    assert_eq!(refusal(&got), RefuseReason::Unexpected, "{:?}", kinds(&got));
    assert!(
        !got.iter().any(|f| f.kind() == FrameKind::Reply),
        "a request was answered"
    );
    lab.refused(mark, "unexpected Message frame");
    lab.refused(mark, "unexpected Request frame");

    // The control: the same frames after the handshake are executed.
    let mut raw = authenticated(lab.at);
    raw.send_frame(FrameKind::Message, &post(5005));
    raw.send_frame(FrameKind::Request, &deliver(5006));
    let reply = loop {
        let frame = raw.next(WAIT, "the reply").expect("the link stays up");
        if frame.kind() == FrameKind::Reply {
            break frame;
        }
    };
    assert_eq!(reply.body()[..8], 1_u64.to_be_bytes(), "the reply's id");
    lab.echo_gets("echo u64 5005");
    lab.echo_gets("echo u64 5006");
    lab.serves(1, None);
    let echoed = lab.echoed();
    assert!(
        !echoed.iter().any(|l| ["5001", "5002", "5003", "5004"]
            .iter()
            .any(|n| l.ends_with(n))),
        "an unauthenticated frame was executed: {echoed:?}"
    );
}

#[test]
fn no_captured_byte_holds_the_secret() {
    let mut lab = Lab::new();
    let proxy = Proxy::start(lab.at);
    lab.client(proxy.at);
    lab.serves(1, Some(proxy.at));
    lab.serves(2, Some(proxy.at));
    let (_, line) = lab.spawn_client(OTHER_SECRET, proxy.at);
    assert!(line.starts_with("peer-err"), "{line}");
    let all = proxy.everything();
    // The control: the capture holds the plain text that did cross.
    assert!(
        contains(&all, b"echo") && contains(&all, b"server"),
        "nothing captured"
    );
    for secret in [SECRET, OTHER_SECRET] {
        assert!(
            !contains(&all, secret.as_bytes()),
            "{secret:?} crossed the wire ({} bytes captured)",
            all.len()
        );
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// (connection, toward the target) -> the bytes in order.
type Records = Arc<Mutex<BTreeMap<(usize, bool), Vec<u8>>>>;

/// A TCP proxy on 127.0.0.1 in front of `target` that records both
/// directions of every connection.
struct Proxy {
    at: SocketAddr,
    records: Records,
}

impl Proxy {
    fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the proxy");
        let at = listener.local_addr().unwrap();
        let records: Records = Arc::default();
        let rec = records.clone();
        std::thread::spawn(move || {
            for (conn, down) in listener.incoming().enumerate() {
                let Ok(down) = down else { continue };
                let Ok(up) = TcpStream::connect(target) else {
                    continue;
                };
                for (from, to, toward) in [
                    (down.try_clone().unwrap(), up.try_clone().unwrap(), true),
                    (up, down, false),
                ] {
                    let rec = rec.clone();
                    std::thread::spawn(move || pump(from, to, &rec, (conn, toward)));
                }
            }
        });
        Proxy { at, records }
    }

    /// What connection `conn` carried in one direction.
    fn stream(&self, conn: usize, toward_target: bool) -> Vec<u8> {
        self.records
            .lock()
            .unwrap()
            .get(&(conn, toward_target))
            .cloned()
            .unwrap_or_default()
    }

    fn everything(&self) -> Vec<u8> {
        self.records
            .lock()
            .unwrap()
            .values()
            .flatten()
            .copied()
            .collect()
    }
}

fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    records: &Mutex<BTreeMap<(usize, bool), Vec<u8>>>,
    key: (usize, bool),
) {
    let mut buf = [0; 16 << 10];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                records
                    .lock()
                    .unwrap()
                    .entry(key)
                    .or_default()
                    .extend_from_slice(&buf[..n]);
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

// ---------------------------------------------------------------- children

/// The child side; does nothing unless run by a test above.
#[test]
fn security_child() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    limit_lifetime(Duration::from_secs(120));
    match role.as_str() {
        "server" => server(),
        "client" => client(),
        other => panic!("unknown role {other:?}"),
    }
}

fn builder(name: &str, secret: &str) -> pycos_net::NodeBuilder {
    Node::builder()
        .name(name)
        .host(Ipv4Addr::LOCALHOST.into())
        .tcp_port(0)
        .discover(false)
        .secret(secret)
        .msg_timeout(MSG_TIMEOUT)
        .max_connection_errors(2)
}

fn server() {
    report_node_log();
    let node = builder("server", SECRET)
        .max_frame(MAX_FRAME)
        .start()
        .expect("the server starts");
    node.scheduler().spawn(echo(node.location()));
    // Until the parent closes stdin (or kills this process).
    for line in std::io::stdin().lines() {
        if line.is_err() {
            break;
        }
    }
}

#[task]
fn echo(at: Location, task: TaskCtx) {
    task.register("echo").expect("the name is free");
    let id = task.handle().id();
    report(&format!("ready {at} {} {}", id.incarnation(), id.serial()));
    loop {
        let msg = task.receive().await;
        if let Some(ping) = msg.downcast_ref::<Ping>() {
            report(&format!("echo ping {}", ping.n));
            let _ = ping.from.send(ping.n);
        } else if let Some(n) = msg.downcast_ref::<u64>() {
            report(&format!("echo u64 {n}"));
        } else {
            report(&format!("echo other {msg:?}"));
        }
    }
}

fn client() {
    let node = builder("client", &env("PYCOS_SEC_SECRET"))
        .start()
        .expect("the client starts");
    report("up");
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { break };
        let words: Vec<&str> = line.split_whitespace().collect();
        match words[..] {
            ["peer", at] => {
                node.scheduler()
                    .spawn(peer(at.parse().expect("a location")));
            }
            ["ping", at, n] => {
                node.scheduler().spawn(ping(
                    at.parse().expect("a location"),
                    n.parse().expect("a number"),
                ));
            }
            _ => panic!("unknown command {line:?}"),
        }
    }
}

#[task]
fn peer(at: Location) {
    let node = Node::current().expect("the node");
    match node.peer(at).await {
        Ok(()) => report(&format!("peer-ok {at}")),
        Err(err) => report(&format!("peer-err {at} {err}")),
    }
}

#[task]
fn ping(at: Location, n: u64, task: TaskCtx) {
    let node = Node::current().expect("the node");
    let Some(echo) = node.locate_task("echo", Some(at), MSG_TIMEOUT).await else {
        report(&format!("ping-fail no echo at {at} {n}"));
        return;
    };
    if let Err(err) = echo.send(Ping {
        from: task.handle(),
        n,
    }) {
        report(&format!("ping-fail {err} {n}"));
        return;
    }
    match task.receive().timeout(MSG_TIMEOUT).await {
        Some(msg) if msg.downcast_ref::<u64>() == Some(&n) => report(&format!("pong {n}")),
        Some(msg) => report(&format!("ping-fail wrong answer {msg:?} {n}")),
        None => report(&format!("ping-fail no answer {n}")),
    }
}
