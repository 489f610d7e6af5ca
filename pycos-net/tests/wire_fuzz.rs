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

use std::collections::HashMap;

use pycos_net::Location;
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
