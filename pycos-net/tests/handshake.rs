//! The handshake state machine, two sides driven in memory: success, every
//! refusal named on both sides, replay, reflection, bad bodies, and the
//! secret never on the wire.

use pycos_net::handshake::{
    Handshake, HandshakeConfig, HandshakeError, PROTOCOL_VERSION, PeerHello, RefuseReason, Role,
    Step,
};
use pycos_net::wire::{Codec, DEFAULT_MAX_FRAME, Frame, FrameKind, FrameReader};

const SECRET: &[u8] = b"correct horse battery staple 0123456789";

fn config(name: &str, incarnation: u64, secret: Option<&[u8]>) -> HandshakeConfig {
    HandshakeConfig {
        name: name.into(),
        incarnation,
        location: format!("10.0.0.{incarnation}:9705").parse().unwrap(),
        secret: secret.map(<[u8]>::to_vec),
        tls_exporter: None,
    }
}

/// The one frame in `bytes`.
fn frame(bytes: &[u8]) -> Frame {
    let mut reader = FrameReader::new(DEFAULT_MAX_FRAME);
    assert_eq!(reader.push(bytes), bytes.len());
    let frame = reader.next_frame().unwrap().expect("a whole frame");
    reader.finish().unwrap();
    frame
}

fn feed(side: &mut Handshake, bytes: &[u8]) -> Result<Step, HandshakeError> {
    let frame = frame(bytes);
    side.on_frame(frame.kind(), frame.body())
}

fn sent(step: Step) -> Vec<u8> {
    match step {
        Step::Send(bytes) => bytes,
        other => panic!("expected a frame to send, got {other:?}"),
    }
}

fn done(step: Step) -> PeerHello {
    match step {
        Step::Done(peer) => peer,
        other => panic!("expected done, got {other:?}"),
    }
}

/// Every byte each side produced, for the secret search.
#[derive(Default)]
struct Wire(Vec<Vec<u8>>);

impl Wire {
    fn keep(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.0.push(bytes.to_vec());
        bytes.to_vec()
    }

    fn assert_no(&self, needle: &[u8]) {
        for bytes in &self.0 {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "secret bytes found on the wire"
            );
        }
    }
}

/// The side that verified gets `err`; the other side, fed its refusal
/// frame, gets `Refused`; both errors are returned.
fn refuse(
    failed: Result<Step, HandshakeError>,
    other: &mut Handshake,
) -> (HandshakeError, HandshakeError) {
    let err = failed.expect_err("the handshake must fail");
    let refusal = err.refusal_frame().expect("a refusal for the peer");
    assert_eq!(frame(&refusal).kind(), FrameKind::Close);
    let theirs = feed(other, &refusal).expect_err("the refusal ends the peer's handshake");
    assert!(theirs.refusal_frame().is_none(), "no refusal of a refusal");
    (err, theirs)
}

#[test]
fn two_sides_reach_done_with_each_others_hello() {
    for secret in [Some(SECRET), None] {
        let mut wire = Wire::default();
        let (mut a, hello_a) = Handshake::new(Role::Dialer, &config("alpha", 1, secret)).unwrap();
        let (mut b, hello_b) = Handshake::new(Role::Listener, &config("béta", 2, secret)).unwrap();
        let (hello_a, hello_b) = (wire.keep(&hello_a), wire.keep(&hello_b));
        let auth_a = wire.keep(&sent(feed(&mut a, &hello_b).unwrap()));
        let auth_b = wire.keep(&sent(feed(&mut b, &hello_a).unwrap()));
        assert_eq!(frame(&auth_a).kind(), FrameKind::Auth);
        assert_eq!(frame(&auth_a).body().len(), 32);
        assert_ne!(auth_a, auth_b, "the labels differ by role");
        let b_seen = done(feed(&mut a, &auth_b).unwrap());
        let a_seen = done(feed(&mut b, &auth_a).unwrap());
        assert!(a.is_done() && b.is_done());
        assert_eq!(
            b_seen,
            PeerHello {
                name: "béta".into(),
                incarnation: 2,
                location: "10.0.0.2:9705".parse().unwrap(),
                version: PROTOCOL_VERSION,
            }
        );
        assert_eq!((a_seen.name.as_str(), a_seen.incarnation), ("alpha", 1));
        // After done, the link owns the stream.
        assert_eq!(
            feed(&mut a, &auth_b).unwrap_err(),
            HandshakeError::Unexpected(FrameKind::Auth)
        );
        wire.assert_no(SECRET);
    }
}

#[test]
fn tls_exporter_is_bound_into_the_proof() {
    let mut cfg_a = config("a", 1, Some(SECRET));
    let mut cfg_b = config("b", 2, Some(SECRET));
    cfg_a.tls_exporter = Some([1; 32]);
    cfg_b.tls_exporter = Some([2; 32]);
    let (mut a, hello_a) = Handshake::new(Role::Dialer, &cfg_a).unwrap();
    let (mut b, hello_b) = Handshake::new(Role::Listener, &cfg_b).unwrap();
    let auth_a = sent(feed(&mut a, &hello_b).unwrap());
    sent(feed(&mut b, &hello_a).unwrap());
    assert_eq!(feed(&mut b, &auth_a).unwrap_err(), HandshakeError::Secret);
}

#[test]
fn wrong_secret_fails_on_both_sides_naming_the_secret() {
    let mut wire = Wire::default();
    let other = b"another secret entirely, also long";
    let (mut a, hello_a) = Handshake::new(Role::Dialer, &config("a", 1, Some(SECRET))).unwrap();
    let (mut b, hello_b) = Handshake::new(Role::Listener, &config("b", 2, Some(other))).unwrap();
    let (hello_a, hello_b) = (wire.keep(&hello_a), wire.keep(&hello_b));
    let auth_a = wire.keep(&sent(feed(&mut a, &hello_b).unwrap()));
    wire.keep(&sent(feed(&mut b, &hello_a).unwrap()));
    let failed = feed(&mut b, &auth_a);
    if let Err(err) = &failed {
        wire.keep(&err.refusal_frame().unwrap());
    }
    let (verifier, refused) = refuse(failed, &mut a);
    assert_eq!(verifier, HandshakeError::Secret);
    assert!(
        verifier.to_string().contains("secrets differ"),
        "{verifier}"
    );
    assert!(
        matches!(
            refused,
            HandshakeError::Refused {
                reason: RefuseReason::Secret,
                ..
            }
        ),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("secrets differ"), "{refused}");
    wire.assert_no(SECRET);
    wire.assert_no(other);
}

#[test]
fn secret_on_one_side_only_fails() {
    let (mut a, hello_a) = Handshake::new(Role::Dialer, &config("a", 1, None)).unwrap();
    let (mut b, hello_b) = Handshake::new(Role::Listener, &config("b", 2, Some(SECRET))).unwrap();
    let auth_a = sent(feed(&mut a, &hello_b).unwrap());
    let auth_b = sent(feed(&mut b, &hello_a).unwrap());
    assert_eq!(feed(&mut b, &auth_a).unwrap_err(), HandshakeError::Secret);
    assert_eq!(feed(&mut a, &auth_b).unwrap_err(), HandshakeError::Secret);
}

#[test]
fn version_mismatch_names_both_versions_on_both_sides() {
    let theirs = PROTOCOL_VERSION + 1;
    let cfg_a = config("a", 1, None);
    let (mut a, hello_a) =
        Handshake::with_wire(Role::Dialer, &cfg_a, theirs, Codec::ACTIVE).unwrap();
    let (mut b, hello_b) = Handshake::new(Role::Listener, &config("b", 2, None)).unwrap();
    // Each side sees the other's Hello and refuses it by itself...
    let a_err = feed(&mut a, &hello_b).unwrap_err();
    assert_eq!(
        a_err,
        HandshakeError::Version {
            ours: theirs,
            theirs: PROTOCOL_VERSION
        }
    );
    // ... and the refusal frame tells the other side the same.
    let (mut a2, _) = Handshake::with_wire(Role::Dialer, &cfg_a, theirs, Codec::ACTIVE).unwrap();
    let (b_err, a_refused) = refuse(feed(&mut b, &hello_a), &mut a2);
    assert_eq!(
        b_err,
        HandshakeError::Version {
            ours: PROTOCOL_VERSION,
            theirs
        }
    );
    assert_eq!(
        a_refused,
        HandshakeError::Refused {
            reason: RefuseReason::Version {
                ours: theirs,
                theirs: PROTOCOL_VERSION
            },
            text: b_err.to_string(),
        }
    );
    for text in [a_err.to_string(), b_err.to_string(), a_refused.to_string()] {
        assert!(text.contains(&PROTOCOL_VERSION.to_string()), "{text}");
        assert!(text.contains(&theirs.to_string()), "{text}");
    }
}

#[test]
fn codec_mismatch_names_both_codecs_on_both_sides() {
    let other = if Codec::ACTIVE == Codec::Postcard {
        Codec::Bincode
    } else {
        Codec::Postcard
    };
    let cfg_a = config("a", 1, None);
    let (mut a, hello_a) =
        Handshake::with_wire(Role::Dialer, &cfg_a, PROTOCOL_VERSION, other).unwrap();
    let (mut b, hello_b) = Handshake::new(Role::Listener, &config("b", 2, None)).unwrap();
    let a_err = feed(&mut a, &hello_b).unwrap_err();
    assert_eq!(
        a_err,
        HandshakeError::Codec {
            ours: other.name(),
            theirs: Codec::ACTIVE.name().into()
        }
    );
    let (mut a2, _) = Handshake::with_wire(Role::Dialer, &cfg_a, PROTOCOL_VERSION, other).unwrap();
    let (b_err, a_refused) = refuse(feed(&mut b, &hello_a), &mut a2);
    assert!(matches!(b_err, HandshakeError::Codec { .. }));
    assert!(matches!(
        a_refused,
        HandshakeError::Refused {
            reason: RefuseReason::Codec { .. },
            ..
        }
    ));
    for text in [a_err.to_string(), b_err.to_string(), a_refused.to_string()] {
        assert!(text.contains(other.name()), "{text}");
        assert!(text.contains(Codec::ACTIVE.name()), "{text}");
    }
}

#[test]
fn replayed_session_fails() {
    // An eavesdropper records a whole session of `a` dialing `b`...
    let (mut a, hello_a) = Handshake::new(Role::Dialer, &config("a", 1, Some(SECRET))).unwrap();
    let (mut b, hello_b) = Handshake::new(Role::Listener, &config("b", 2, Some(SECRET))).unwrap();
    let auth_a = sent(feed(&mut a, &hello_b).unwrap());
    let auth_b = sent(feed(&mut b, &hello_a).unwrap());
    done(feed(&mut b, &auth_a).unwrap());
    done(feed(&mut a, &auth_b).unwrap());
    // ... and replays a's frames to a new listener with the same secret:
    // its fresh nonce changes the transcript, so the old proof fails.
    let (mut b2, _) = Handshake::new(Role::Listener, &config("b", 2, Some(SECRET))).unwrap();
    sent(feed(&mut b2, &hello_a).unwrap());
    assert_eq!(feed(&mut b2, &auth_a).unwrap_err(), HandshakeError::Secret);
    // Replaying b's side to a new dialer fails the same way.
    let (mut a2, _) = Handshake::new(Role::Dialer, &config("a", 1, Some(SECRET))).unwrap();
    sent(feed(&mut a2, &hello_b).unwrap());
    assert_eq!(feed(&mut a2, &auth_b).unwrap_err(), HandshakeError::Secret);
}

#[test]
fn reflected_auth_fails() {
    // A man in the middle sends each side its own Hello's answer back: the
    // other side's Hello is real, but the Auth it returns is our own tag.
    let (mut a, _) = Handshake::new(Role::Dialer, &config("a", 1, Some(SECRET))).unwrap();
    let (_, hello_b) = Handshake::new(Role::Listener, &config("b", 2, Some(SECRET))).unwrap();
    let auth_a = sent(feed(&mut a, &hello_b).unwrap());
    assert_eq!(feed(&mut a, &auth_a).unwrap_err(), HandshakeError::Secret);
    // A Hello reflected back is a connection to oneself.
    let (mut c, hello_c) = Handshake::new(Role::Listener, &config("c", 3, Some(SECRET))).unwrap();
    let err = feed(&mut c, &hello_c).unwrap_err();
    assert_eq!(err, HandshakeError::SelfConnect);
    assert!(err.refusal_frame().is_some());
}

#[test]
fn frames_out_of_order_are_unexpected() {
    let (mut a, hello_a) = Handshake::new(Role::Dialer, &config("a", 1, None)).unwrap();
    let (mut b, hello_b) = Handshake::new(Role::Listener, &config("b", 2, None)).unwrap();
    let auth_b = sent(feed(&mut b, &hello_a).unwrap());
    let err = feed(&mut a, &auth_b).unwrap_err();
    assert_eq!(err, HandshakeError::Unexpected(FrameKind::Auth));
    // A failed machine refuses everything after.
    assert!(feed(&mut a, &hello_b).is_err());

    let (mut a, _) = Handshake::new(Role::Dialer, &config("a", 1, None)).unwrap();
    sent(feed(&mut a, &hello_b).unwrap());
    assert_eq!(
        feed(&mut a, &hello_b).unwrap_err(),
        HandshakeError::Unexpected(FrameKind::Hello)
    );
    let (mut a, _) = Handshake::new(Role::Dialer, &config("a", 1, None)).unwrap();
    let tick = a.on_frame(FrameKind::Tick, &[]).unwrap_err();
    assert_eq!(tick, HandshakeError::Unexpected(FrameKind::Tick));
    assert!(tick.to_string().contains("Tick"));
}

#[test]
fn bad_hello_bodies_are_malformed_without_panic() {
    let (_, hello) = Handshake::new(Role::Listener, &config("b", 2, None)).unwrap();
    let body = frame(&hello).into_body();
    let fresh = || {
        Handshake::new(Role::Dialer, &config("a", 1, None))
            .unwrap()
            .0
    };
    // Truncated anywhere.
    for len in 0..body.len() {
        let err = fresh()
            .on_frame(FrameKind::Hello, &body[..len])
            .unwrap_err();
        assert!(
            matches!(err, HandshakeError::Malformed(_)),
            "{len}: {err:?}"
        );
    }
    // Oversize, trailing bytes, a bad family, a long or non-UTF-8 name.
    let mut long = body.clone();
    long.extend([0; 200]);
    let mut trailing = body.clone();
    trailing.push(0);
    let mut family = body.clone();
    family[51] = 5;
    let mut name_len = body.clone();
    let at = name_len.len() - 2;
    name_len[at] = 65;
    let mut utf8 = body.clone();
    let last = utf8.len() - 1;
    utf8[last] = 0xFF;
    for (what, bad) in [
        ("oversize", long),
        ("trailing", trailing),
        ("family", family),
        ("name length", name_len),
        ("utf-8", utf8),
    ] {
        let err = fresh().on_frame(FrameKind::Hello, &bad).unwrap_err();
        assert!(
            matches!(err, HandshakeError::Malformed(_)),
            "{what}: {err:?}"
        );
        assert!(err.refusal_frame().is_some(), "{what}");
    }
    // Garbage: no magic.
    let mut garbage = body.clone();
    garbage[..8].copy_from_slice(b"GET / HT");
    assert_eq!(
        fresh().on_frame(FrameKind::Hello, &garbage).unwrap_err(),
        HandshakeError::BadMagic
    );
    // Bad Auth and Close bodies.
    let (mut a, _) = Handshake::new(Role::Dialer, &config("a", 1, None)).unwrap();
    sent(a.on_frame(FrameKind::Hello, &body).unwrap());
    assert!(matches!(
        a.on_frame(FrameKind::Auth, &[0; 31]).unwrap_err(),
        HandshakeError::Malformed(_)
    ));
    assert!(matches!(
        fresh().on_frame(FrameKind::Close, &[1, 7]).unwrap_err(),
        HandshakeError::Malformed(_)
    ));
}

#[test]
fn config_errors_are_local() {
    let err = Handshake::new(Role::Dialer, &config(&"n".repeat(65), 1, None)).unwrap_err();
    assert!(matches!(err, HandshakeError::Config(_)));
    assert!(err.refusal_frame().is_none());
    let long_ok = Handshake::new(Role::Dialer, &config(&"é".repeat(32), 1, None));
    assert!(long_ok.is_ok());
    let debug = format!("{:?}", config("a", 1, Some(SECRET)));
    assert!(!debug.contains("horse"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}
