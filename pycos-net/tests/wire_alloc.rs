//! Decoding allocates in proportion to the bytes decoded, never to what a
//! length prefix claims: measured with a counting global allocator.
//!
//! The counter is per thread, so tests running in parallel in this binary
//! do not disturb each other's measurements.

mod counting;

use std::collections::{BTreeMap, HashMap};

use counting::peak_during;
use pycos_net::wire::{self, FrameReader};

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// A varint (postcard's LEB128, and bincode's `fd` + u64 LE) claiming `n`.
fn length_prefix(n: u64) -> Vec<u8> {
    if cfg!(feature = "bincode") {
        let mut out = vec![0xFD];
        out.extend(n.to_le_bytes());
        out
    } else {
        let mut out = Vec::new();
        let mut n = n;
        while n >= 0x80 {
            out.push(n as u8 | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
        out
    }
}

/// `depth` nested collections, each claiming a huge length; the innermost
/// element is missing, so decoding fails after reading all of them.
fn nested_claims(depth: usize, per_level: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..depth {
        bytes.extend(length_prefix(1 << 40));
        bytes.extend(per_level);
    }
    bytes
}

#[test]
fn huge_claimed_lengths_allocate_nothing_ahead() {
    let limit = 4096;
    let claim = length_prefix(u32::MAX as u64);
    let (result, peak) = peak_during(|| wire::decode::<Vec<u64>>(&claim, limit));
    assert!(result.is_err());
    assert!(peak < 1024, "Vec<u64>: {peak} bytes");

    let (result, peak) = peak_during(|| wire::decode::<String>(&claim, limit));
    assert!(result.unwrap_err().is_truncated());
    assert!(peak < 1024, "String: {peak} bytes");

    let (result, peak) = peak_during(|| wire::decode::<HashMap<u64, u64>>(&claim, limit));
    assert!(result.is_err());
    assert!(peak < 1024, "HashMap: {peak} bytes");
}

#[test]
fn nested_claims_stay_proportional_to_the_input() {
    let limit = 4096;
    // Vec<Vec<…>>: each level a length prefix and nothing else.
    let bytes = nested_claims(8, &[]);
    let (result, peak) =
        peak_during(|| wire::decode::<Vec<Vec<Vec<Vec<Vec<Vec<Vec<Vec<u8>>>>>>>>>(&bytes, limit));
    assert!(result.is_err());
    assert!(
        peak < 16 * 1024,
        "nested Vec: {peak} bytes for {} input",
        bytes.len()
    );

    // Maps of maps: each level a length prefix and a one-byte key.
    let bytes = nested_claims(6, &[1]);
    type Deep = HashMap<u8, HashMap<u8, HashMap<u8, HashMap<u8, HashMap<u8, BTreeMap<u8, u8>>>>>>;
    let (result, peak) = peak_during(|| wire::decode::<Deep>(&bytes, limit));
    assert!(result.is_err());
    assert!(
        peak < 16 * 1024,
        "nested HashMap: {peak} bytes for {} input",
        bytes.len()
    );
}

#[test]
fn decoded_values_cost_about_what_they_hold() {
    let value: Vec<String> = (0..1000).map(|i| format!("item {i}")).collect();
    let bytes = wire::encode(&value).unwrap();
    let (back, peak) = peak_during(|| wire::decode::<Vec<String>>(&bytes, bytes.len()).unwrap());
    assert_eq!(back, value);
    // 1000 Strings (24 bytes each + their text) in a Vec grown by doubling.
    assert!(peak < 128 * 1024, "{peak} bytes");
}

#[test]
fn frame_reader_allocates_at_most_its_limit() {
    let limit = 64 * 1024;
    let mut reader = FrameReader::new(limit);
    let (_, peak) = peak_during(|| {
        reader.push(&[0x7F, 0xFF, 0xFF, 0xFF, 3]);
        assert!(reader.next_frame().unwrap_err().is_oversize());
        for _ in 0..100 {
            reader.push(&[0u8; 8192]);
        }
    });
    assert!(peak < 8 * 1024, "refused frame: {peak} bytes");
    assert_eq!(reader.buffered(), 0);

    // Accepted frames: the buffer grows to the frame, not past the limit.
    let mut reader = FrameReader::new(limit);
    let mut bytes = Vec::new();
    wire::write_frame(wire::FrameKind::Bulk, &vec![1; limit - 5], &mut bytes).unwrap();
    let (_, peak) = peak_during(|| {
        for piece in bytes.chunks(1000) {
            reader.push(piece);
        }
        reader.next_frame().unwrap().unwrap()
    });
    // The buffer (≤ limit) plus the frame's own body (limit - 5).
    assert!(peak <= 2 * limit, "accepted frame: {peak} bytes");
}
