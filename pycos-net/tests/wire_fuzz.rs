//! A stable-toolchain fuzz harness for the wire decoders: the
//! `FrameReader` and `decode`, fed random bytes and mutated valid streams in
//! random chunks. Checks: no panic, the reader never buffers more than its
//! limit, a refused frame never desynchronizes an intact stream that
//! follows (unknown kinds, zero lengths and oversize frames are stepped
//! over), and unmutated streams come back exactly.
//!
//! The normal test run tries 100 000 inputs (a few seconds in debug). For a
//! long run, set the number of inputs and optionally the seed:
//!
//! ```text
//! PYCOS_FUZZ_CASES=10000000 PYCOS_FUZZ_SEED=7 \
//!     cargo test -p pycos-net --release --test wire_fuzz -- --nocapture
//! ```
//!
//! A failure prints the seed and the case number; rerunning with that seed
//! replays the same inputs.
//!
//! A second test drives the fixed-format decoders the same way: the
//! handshake's Hello, Auth and Close bodies (alone, and through two
//! handshake machines whose frames are altered in flight: the side that
//! receives an altered frame never completes) and the discovery datagram.
//!
//! A third drives the envelopes of established links: the Message body
//! (`Post`), a request's `Op`, a reply's `Answer` and the `Msg` payloads
//! inside them, decoded as a node decodes them, under a wire context whose
//! scheduler is served by a real node (started once in this process, on
//! 127.0.0.1, discovery off), so handles inside decode as local tasks and
//! channels or as proxies. Besides no panic, each decode's peak allocation
//! is measured (a counting global allocator, per thread) and must stay
//! within a bound proportional to the input.

mod counting;

use std::collections::HashMap;
use std::sync::OnceLock;

use pycos::message::{WireContext, with_wire_context};
use pycos::remote::{RemoteChannel, RemoteTask};
use pycos::{Channel, ChannelId, Msg, Task, TaskId};

use counting::peak_during;
use pycos_net::Location;
use pycos_net::discovery::{self, Announce, AnnounceKind, MAX_DATAGRAM};
use pycos_net::handshake::{self, Handshake, HandshakeConfig, HandshakeError, Role, Step};
use pycos_net::wire::{self, Frame, FrameKind, FrameReader};
use serde::{Deserialize, Serialize};

const DEFAULT_CASES: u64 = 100_000;
const DEFAULT_SEED: u64 = 0x7079_636f_735f_6e65;

/// A body shaped like the envelopes the links will carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Envelope {
    Send {
        to: Location,
        type_name: String,
        payload: Vec<u8>,
    },
    Reply(u64, Option<String>),
    Peers(Vec<Location>),
    Tags(HashMap<u8, Vec<u16>>),
    Tick,
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

fn random_location(rng: &mut fastrand::Rng) -> Location {
    let ip: std::net::IpAddr = if rng.bool() {
        rng.u32(..).to_be_bytes().into()
    } else {
        rng.u128(..).to_be_bytes().into()
    };
    Location::new(ip, rng.u16(..))
}

fn random_envelope(rng: &mut fastrand::Rng) -> Envelope {
    match rng.u8(..5) {
        0 => Envelope::Send {
            to: random_location(rng),
            type_name: "app::Msg".repeat(rng.usize(..3)),
            payload: (0..rng.usize(..20)).map(|_| rng.u8(..)).collect(),
        },
        1 => Envelope::Reply(rng.u64(..), rng.bool().then(|| "é".repeat(rng.usize(..5)))),
        2 => Envelope::Peers((0..rng.usize(..3)).map(|_| random_location(rng)).collect()),
        3 => Envelope::Tags(
            (0..rng.u8(..4))
                .map(|k| (k, vec![rng.u16(..); 2]))
                .collect(),
        ),
        _ => Envelope::Tick,
    }
}

fn valid_stream(rng: &mut fastrand::Rng) -> (Vec<u8>, Vec<Frame>) {
    let frames: Vec<Frame> = (0..rng.usize(1..5))
        .map(|_| {
            let kind = FrameKind::ALL[rng.usize(..FrameKind::ALL.len())];
            Frame::new(kind, wire::encode(&random_envelope(rng)).unwrap())
        })
        .collect();
    let mut bytes = Vec::new();
    for frame in &frames {
        frame.write_to(&mut bytes).unwrap();
    }
    (bytes, frames)
}

fn mutate(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>) {
    for _ in 0..rng.usize(1..4) {
        let at = rng.usize(..=bytes.len());
        match rng.u8(..6) {
            0 if at < bytes.len() => bytes[at] ^= 1 << rng.u8(..8),
            1 if at < bytes.len() => bytes[at] = rng.u8(..),
            2 => bytes.insert(at, rng.u8(..)),
            3 if at < bytes.len() => drop(bytes.remove(at)),
            4 => bytes.truncate(at),
            _ => {
                // A length prefix made huge, zero or random.
                let len = [u32::MAX, 0, rng.u32(..), rng.u32(..300)][rng.usize(..4)];
                let end = (at + 4).min(bytes.len());
                bytes.splice(at..end, len.to_be_bytes());
            }
        }
    }
}

fn decode_everything(body: &[u8], limit: usize) {
    let _ = wire::decode::<Envelope>(body, limit);
    let _ = wire::decode::<Location>(body, limit);
    let _ = wire::decode::<(u8, String)>(body, limit);
    let _ = wire::decode::<Vec<Vec<u64>>>(body, limit);
    let _ = wire::decode::<HashMap<String, Option<bool>>>(body, limit);
}

/// Pushes `bytes` in random chunks, decoding every frame; the frames read
/// (in order) and the errors seen.
fn feed(rng: &mut fastrand::Rng, reader: &mut FrameReader, bytes: &[u8]) -> (Vec<Frame>, usize) {
    let (mut frames, mut errors) = (Vec::new(), 0);
    let mut rest = bytes;
    while !rest.is_empty() {
        let chunk = rng.usize(1..=rest.len().min(64));
        let taken = reader.push(&rest[..chunk]);
        rest = &rest[taken..];
        assert!(reader.buffered() <= reader.max_frame(), "buffer over limit");
        loop {
            match reader.next_frame() {
                Ok(Some(frame)) => {
                    assert!(frame.wire_len() <= reader.max_frame());
                    decode_everything(frame.body(), reader.max_frame());
                    frames.push(frame);
                }
                Ok(None) => break,
                Err(err) => {
                    assert!(err.is_oversize() || err.is_unknown_kind() || err.is_missing_kind());
                    errors += 1;
                }
            }
        }
        // No progress is only allowed while a frame is being completed.
        if taken == 0 {
            assert!(reader.buffered() < reader.max_frame(), "reader stuck");
        }
    }
    (frames, errors)
}

/// A frame the reader must refuse and step over: unknown kind, zero length
/// or over `max_frame` (its body is sent in full, as a peer would).
fn refused_frame(rng: &mut fastrand::Rng, max_frame: usize) -> Vec<u8> {
    match rng.u8(..3) {
        0 => {
            let body_len = rng.usize(..max_frame - 4);
            let mut bytes = (body_len as u32 + 1).to_be_bytes().to_vec();
            bytes.push([0, 11, 0x80, 0xFF][rng.usize(..4)]);
            bytes.extend((0..body_len).map(|_| rng.u8(..)));
            bytes
        }
        1 => vec![0; 4],
        _ => {
            let len = max_frame - 4 + rng.usize(1..100);
            let mut bytes = (len as u32).to_be_bytes().to_vec();
            bytes.extend((0..len).map(|_| rng.u8(..)));
            bytes
        }
    }
}

fn one_case(rng: &mut fastrand::Rng) {
    let max_frame = [5, 16, 64, 256, 4096][rng.usize(..5)];
    let mut reader = FrameReader::new(max_frame);
    match rng.u8(..5) {
        0 => {
            let bytes: Vec<u8> = (0..rng.usize(..96)).map(|_| rng.u8(..)).collect();
            decode_everything(&bytes, max_frame);
            feed(rng, &mut reader, &bytes);
        }
        1 => {
            // Unmutated: every frame within the limit comes back, in order;
            // each one over it is one error, and the stream stays in sync.
            let (bytes, sent) = valid_stream(rng);
            let (got, errors) = feed(rng, &mut reader, &bytes);
            let fitting: Vec<Frame> = sent
                .iter()
                .filter(|f| f.wire_len() <= max_frame)
                .cloned()
                .collect();
            assert_eq!(errors, sent.len() - fitting.len());
            assert_eq!(got, fitting);
            reader.finish().unwrap();
        }
        2 => {
            // Refused frames between valid ones: the valid ones all arrive.
            let (bytes, sent) = valid_stream(rng);
            let fitting: Vec<Frame> = sent
                .iter()
                .filter(|f| f.wire_len() <= max_frame)
                .cloned()
                .collect();
            let mut stream = refused_frame(rng, max_frame);
            stream.extend(&bytes);
            stream.extend(refused_frame(rng, max_frame));
            let (got, errors) = feed(rng, &mut reader, &stream);
            assert_eq!(errors, 2 + sent.len() - fitting.len());
            assert_eq!(got, fitting);
            reader.finish().unwrap();
        }
        _ => {
            let (mut bytes, _) = valid_stream(rng);
            mutate(rng, &mut bytes);
            decode_everything(&bytes, max_frame);
            feed(rng, &mut reader, &bytes);
            let _ = reader.finish();
        }
    }
}

#[test]
fn random_and_mutated_input_never_panics_and_stays_bounded() {
    let cases = env_u64("PYCOS_FUZZ_CASES", DEFAULT_CASES);
    let seed = env_u64("PYCOS_FUZZ_SEED", DEFAULT_SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    for case in 0..cases {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| one_case(&mut rng)));
        if result.is_err() {
            panic!("case {case} failed (PYCOS_FUZZ_SEED={seed})");
        }
    }
}

// ------------------------------------------- handshake and discovery bodies

const SECRET: &[u8] = b"fuzz secret";

/// Valid bodies to mutate, made once: Hello, Auth and Close bodies, and
/// discovery datagrams with and without a tag.
struct Samples {
    hellos: Vec<Vec<u8>>,
    closes: Vec<Vec<u8>>,
    auths: Vec<Vec<u8>>,
    datagrams: Vec<(Vec<u8>, Option<&'static [u8]>)>,
}

fn config(rng: &mut fastrand::Rng, incarnation: u64) -> HandshakeConfig {
    HandshakeConfig {
        name: "ñ".repeat(rng.usize(..=32)),
        incarnation,
        location: random_location(rng),
        secret: rng.bool().then(|| SECRET.to_vec()),
        tls_exporter: None,
    }
}

fn body(frame_bytes: &[u8]) -> Vec<u8> {
    frame_bytes[wire::HEADER_LEN..].to_vec()
}

fn samples(rng: &mut fastrand::Rng) -> Samples {
    let (mut hellos, mut closes, mut auths, mut datagrams) = (vec![], vec![], vec![], vec![]);
    for i in 0..8 {
        let (mut a, hello_a) = Handshake::new(Role::Dialer, &config(rng, 2 * i + 1)).unwrap();
        let (_, hello_b) = Handshake::new(Role::Listener, &config(rng, 2 * i + 2)).unwrap();
        if let Ok(Step::Send(auth)) = a.on_frame(FrameKind::Hello, &body(&hello_b)) {
            auths.push(body(&auth));
        }
        hellos.push(body(&hello_a));
        let announce = Announce {
            kind: if rng.bool() {
                AnnounceKind::Ping
            } else {
                AnnounceKind::Pong
            },
            incarnation: rng.u64(..),
            location: random_location(rng),
            name: "n".repeat(rng.usize(..=64)),
        };
        let secret = rng.bool().then_some(SECRET);
        datagrams.push((discovery::encode(&announce, secret).unwrap(), secret));
    }
    for err in [
        HandshakeError::Version { ours: 1, theirs: 9 },
        HandshakeError::Codec {
            ours: wire::Codec::ACTIVE.name(),
            theirs: "x".into(),
        },
        HandshakeError::Secret,
        HandshakeError::BadMagic,
        HandshakeError::Malformed("fuzz"),
        HandshakeError::Unexpected(FrameKind::Tick),
        HandshakeError::SelfConnect,
    ] {
        closes.push(body(&err.refusal_frame().unwrap()));
    }
    Samples {
        hellos,
        closes,
        auths,
        datagrams,
    }
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn decode_fixed(bytes: &[u8]) {
    let _ = handshake::__fuzz::hello(bytes);
    let _ = handshake::__fuzz::close(bytes);
    let _ = discovery::decode(bytes, None);
    if bytes.len() <= MAX_DATAGRAM {
        let _ = discovery::decode(bytes, Some(SECRET));
    }
}

/// Two machines with the same secret; `alter` picks the frame (0: the
/// dialer's Hello, 1: the listener's Hello, 2: the dialer's Auth, 3: the
/// listener's Auth) mutated in flight.
fn altered_handshake(rng: &mut fastrand::Rng) {
    let mut cfg = |incarnation| HandshakeConfig {
        secret: Some(SECRET.to_vec()),
        ..config(rng, incarnation)
    };
    let (cfg_a, cfg_b) = (cfg(1), cfg(2));
    let (mut a, hello_a) = Handshake::new(Role::Dialer, &cfg_a).unwrap();
    let (mut b, hello_b) = Handshake::new(Role::Listener, &cfg_b).unwrap();
    let alter = rng.u8(..4);
    let mut altered = false;
    let mut deliver = |which: u8, bytes: Vec<u8>, to: &mut Handshake| {
        let mut body = body(&bytes);
        if which == alter {
            let before = body.clone();
            mutate(rng, &mut body);
            altered = body != before;
        }
        let kind = FrameKind::from_byte(bytes[wire::LEN_PREFIX]).unwrap();
        to.on_frame(kind, &body)
    };
    let auth_a = deliver(1, hello_b, &mut a);
    let auth_b = deliver(0, hello_a, &mut b);
    let (Ok(Step::Send(auth_a)), Ok(Step::Send(auth_b))) = (auth_a, auth_b) else {
        return;
    };
    let done_b = matches!(deliver(2, auth_a, &mut b), Ok(Step::Done(_)));
    let done_a = matches!(deliver(3, auth_b, &mut a), Ok(Step::Done(_)));
    if altered {
        match alter {
            0 | 1 => assert!(!done_a && !done_b, "an altered hello completed"),
            2 => assert!(!done_b, "an altered auth verified"),
            _ => assert!(!done_a, "an altered auth verified"),
        }
    } else {
        assert!(done_a && done_b, "an intact handshake failed");
    }
}

fn one_fixed_case(rng: &mut fastrand::Rng, samples: &Samples) {
    match rng.u8(..16) {
        0..=2 => {
            let bytes: Vec<u8> = (0..rng.usize(..160)).map(|_| rng.u8(..)).collect();
            decode_fixed(&bytes);
        }
        3..=5 => {
            let mut bytes = pick(rng, &samples.hellos).clone();
            mutate(rng, &mut bytes);
            decode_fixed(&bytes);
        }
        6..=7 => {
            let mut bytes = pick(rng, &samples.closes).clone();
            mutate(rng, &mut bytes);
            decode_fixed(&bytes);
        }
        8..=11 => {
            let (bytes, secret) = pick(rng, &samples.datagrams);
            let mut bytes = bytes.clone();
            mutate(rng, &mut bytes);
            let decoded = discovery::decode(&bytes, *secret);
            if *secret == Some(SECRET) && decoded.is_ok() {
                // Only a mutation that left the bytes as they were (or
                // one of the other valid samples) may verify.
                assert!(
                    samples.datagrams.iter().any(|(valid, _)| *valid == bytes),
                    "an altered datagram verified"
                );
            }
            decode_fixed(&bytes);
        }
        12 => {
            let mut bytes = pick(rng, &samples.auths).clone();
            mutate(rng, &mut bytes);
            decode_fixed(&bytes);
        }
        _ => {
            if rng.u8(..8) == 0 {
                altered_handshake(rng);
            } else {
                let mut bytes = pick(rng, &samples.hellos).clone();
                bytes.truncate(rng.usize(..=bytes.len()));
                decode_fixed(&bytes);
            }
        }
    }
}

#[test]
fn handshake_and_discovery_decoders_never_panic() {
    let cases = env_u64("PYCOS_FUZZ_CASES", DEFAULT_CASES);
    let seed = env_u64("PYCOS_FUZZ_SEED", DEFAULT_SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    let samples = samples(&mut rng);
    for case in 0..cases {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            one_fixed_case(&mut rng, &samples)
        }));
        if result.is_err() {
            panic!("fixed-format case {case} failed (PYCOS_FUZZ_SEED={seed})");
        }
    }
}

// ------------------------------------------------ post-handshake envelopes

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// What one envelope decode may allocate at most: a fixed part (a proxy's
/// header, error texts) and a part proportional to the input.
fn alloc_bound(input: usize) -> usize {
    16 * 1024 + 16 * input
}

/// The node of this process, its scheduler serving the decoded proxies.
fn node() -> &'static pycos_net::Node {
    static NODE: OnceLock<pycos_net::Node> = OnceLock::new();
    NODE.get_or_init(|| {
        pycos_net::Node::builder()
            .name("fuzz")
            .host(std::net::Ipv4Addr::LOCALHOST.into())
            .tcp_port(0)
            .discover(false)
            .start()
            .expect("the fuzz node starts")
    })
}

#[pycos::task]
fn idle(task: pycos::TaskCtx) {
    task.set_daemon(true);
    loop {
        let _ = task.receive().await;
    }
}

/// What decoding covers: the envelope kinds.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Post,
    Op,
    Answer,
    Msg,
    /// A whole Request (`true`) or Reply body: the id, then the rest.
    Framed(bool),
}

fn decode_as(kind: Kind, bytes: &[u8]) -> bool {
    use pycos_net::__fuzz;
    match kind {
        Kind::Post => __fuzz::post(bytes).is_ok(),
        Kind::Op => __fuzz::op(bytes).is_ok(),
        Kind::Answer => __fuzz::answer(bytes).is_ok(),
        Kind::Msg => __fuzz::msg(bytes).is_ok(),
        Kind::Framed(request) => matches!(__fuzz::request_or_reply(bytes, request), Some(Ok(_))),
    }
}

struct Envelopes {
    ctx: WireContext,
    /// (kind, valid body) to mutate.
    samples: Vec<(Kind, Vec<u8>)>,
    /// Handles kept alive so that local references resolve.
    _keep: (Task, Channel),
}

/// The samples, made once per process (the channel's name is registered).
fn envelopes() -> &'static Envelopes {
    static ENVELOPES: OnceLock<Envelopes> = OnceLock::new();
    ENVELOPES.get_or_init(make_envelopes)
}

fn make_envelopes() -> Envelopes {
    let node = node();
    let sched = node.scheduler().clone();
    let local = sched.spawn(idle()).untyped();
    let channel = Channel::new("fuzz-channel").expect("a channel");
    channel.register().expect("the channel's name is free");
    let other = pycos::remote::incarnation() ^ 0x5a5a;
    let far = "127.0.0.3:9705";
    let proxy = Task::from_remote(
        &sched,
        RemoteTask {
            location: far.into(),
            id: TaskId::from_parts(other, 9),
            name: "far".into(),
        },
    )
    .expect("a proxy task");
    let proxy_channel = Channel::from_remote(
        &sched,
        RemoteChannel {
            location: far.into(),
            id: ChannelId::from_parts(other, 4),
            name: "far-channel".into(),
        },
    )
    .expect("a proxy channel");
    let msgs = [
        Msg::new(7_u64),
        Msg::new(-3_i32),
        Msg::new("hé".repeat(3)),
        Msg::new(vec![1_u8, 2, 3]),
        Msg::new(Some("x".to_owned())),
        Msg::new(vec!["a".to_owned(), "b".to_owned()]),
        Msg::new(local.clone()),
        Msg::new(proxy.clone()),
        Msg::new(channel.clone()),
        Msg::new(proxy_channel.clone()),
        Msg::new(Location::new(std::net::Ipv4Addr::LOCALHOST.into(), 9705)),
    ];
    let mut samples = Vec::new();
    for (task, chan) in [(&local, &channel), (&proxy, &proxy_channel)] {
        let s = pycos_net::__fuzz::samples(task, chan, &msgs);
        let id = fastrand::u64(..).to_be_bytes();
        samples.extend(s.posts.into_iter().map(|b| (Kind::Post, b)));
        samples.extend(s.msgs.into_iter().map(|b| (Kind::Msg, b)));
        for op in s.ops {
            samples.push((Kind::Framed(true), [&id[..], &op].concat()));
            samples.push((Kind::Op, op));
        }
        for answer in s.answers {
            samples.push((Kind::Framed(false), [&id[..], &answer].concat()));
            samples.push((Kind::Answer, answer));
        }
    }
    let ctx = WireContext {
        sched,
        peer: "127.0.0.2:9705".into(),
    };
    Envelopes {
        ctx,
        samples,
        _keep: (local, channel),
    }
}

fn one_envelope_case(rng: &mut fastrand::Rng, env: &Envelopes) {
    let kinds = [
        Kind::Post,
        Kind::Op,
        Kind::Answer,
        Kind::Msg,
        Kind::Framed(true),
        Kind::Framed(false),
    ];
    let (kind, bytes) = match rng.u8(..8) {
        0 => {
            let bytes: Vec<u8> = (0..rng.usize(..128)).map(|_| rng.u8(..)).collect();
            (*pick(rng, &kinds), bytes)
        }
        1 => {
            // A valid body read as another kind.
            let (_, bytes) = pick(rng, &env.samples);
            (*pick(rng, &kinds), bytes.clone())
        }
        _ => {
            let (kind, bytes) = pick(rng, &env.samples);
            let mut bytes = bytes.clone();
            mutate(rng, &mut bytes);
            (*kind, bytes)
        }
    };
    let with_context = rng.u8(..8) != 0;
    let base = counting::live();
    let (_, peak) = peak_during(|| {
        if with_context {
            with_wire_context(&env.ctx, || decode_as(kind, &bytes))
        } else {
            decode_as(kind, &bytes)
        }
    });
    if counting::live() > base {
        // The decode kept memory after everything it made was dropped:
        // pycos interns the names of proxies, up to a cap of distinct
        // names, so a handle with a new name (a mutated one) can grow the
        // interner's table until the cap, and that reallocation is not the
        // decode's own cost. See `proxy_names_from_peers_are_not_kept`.
        return;
    }
    assert!(
        peak <= alloc_bound(bytes.len()),
        "{kind:?} of {} bytes allocated {peak} bytes at once",
        bytes.len()
    );
}

#[test]
fn envelope_decoders_never_panic_and_stay_bounded() {
    let cases = env_u64("PYCOS_FUZZ_CASES", DEFAULT_CASES);
    let seed = env_u64("PYCOS_FUZZ_SEED", DEFAULT_SEED);
    let env = envelopes();
    // The control: every sample decodes as itself under the context, and
    // those naming a handle fail (cleanly) without one.
    let mut need_context = 0;
    for (kind, bytes) in &env.samples {
        assert!(
            with_wire_context(&env.ctx, || decode_as(*kind, bytes)),
            "a valid {kind:?} sample did not decode"
        );
        need_context += usize::from(!decode_as(*kind, bytes));
    }
    assert!(need_context > 0, "no sample carries a handle");
    let mut rng = fastrand::Rng::with_seed(seed);
    for case in 0..cases {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            one_envelope_case(&mut rng, env)
        }));
        if result.is_err() {
            panic!("envelope case {case} failed (PYCOS_FUZZ_SEED={seed})");
        }
    }
}

/// Decoding handles a peer sent keeps nothing once they are dropped,
/// however many distinct task names a peer sends: pycos interns the names
/// of proxies only up to a fixed number of distinct ones (20,000 names
/// here, past that cap), then names further proxies `<remote>`.
#[test]
fn proxy_names_from_peers_are_not_kept() {
    let env = envelopes();
    let other = pycos::remote::incarnation() ^ 0xa5a5;
    let names: Vec<String> = (0..20_000)
        .map(|i| format!("peer-chosen-name-{i}"))
        .collect();
    let encoded: Vec<Vec<u8>> = (0..20_000)
        .map(|i| {
            let proxy = Task::from_remote(
                &env.ctx.sched,
                RemoteTask {
                    location: "127.0.0.4:9705".into(),
                    id: TaskId::from_parts(other, i),
                    name: names[i as usize].as_str().into(),
                },
            )
            .expect("a proxy");
            wire::encode(&Msg::new(proxy)).unwrap()
        })
        .collect();
    // Encoding made (and interned) the names already: decode fresh ones.
    let fresh: Vec<Vec<u8>> = encoded
        .iter()
        .zip(&names)
        .map(|(bytes, name)| {
            let mut bytes = bytes.clone();
            let at = bytes.len() - name.len();
            bytes[at] = b'q'; // the name's first character: a new name
            bytes
        })
        .collect();
    let base = counting::live();
    for bytes in &fresh {
        assert!(with_wire_context(&env.ctx, || decode_as(Kind::Msg, bytes)));
    }
    let kept = counting::live().saturating_sub(base);
    assert!(
        kept < 64 * 1024,
        "decoding {} proxies with new names kept {kept} bytes",
        fresh.len()
    );
}
