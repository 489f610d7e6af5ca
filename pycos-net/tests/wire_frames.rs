//! The frame format end to end: every kind round-trips, bytes may arrive in
//! any chunking, refused frames are never buffered, and the bytes of one
//! frame are pinned so the wire cannot change by accident.

use pycos_net::Location;
use pycos_net::wire::{self, DEFAULT_MAX_FRAME, Frame, FrameKind, FrameReader, HEADER_LEN};

fn frames_of(bytes: &[u8], reader: &mut FrameReader, chunk: usize) -> Vec<Frame> {
    let mut out = Vec::new();
    for piece in bytes.chunks(chunk) {
        let mut rest = piece;
        loop {
            let taken = reader.push(rest);
            rest = &rest[taken..];
            assert!(reader.buffered() <= reader.max_frame());
            while let Some(frame) = reader.next_frame().unwrap() {
                out.push(frame);
            }
            if rest.is_empty() {
                break;
            }
        }
    }
    out
}

fn sample_frames() -> Vec<Frame> {
    FrameKind::ALL
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let location = Location::new([10, 0, 0, i as u8].into(), 9700 + i as u16);
            let body = match i % 3 {
                0 => Vec::new(),
                1 => wire::encode(&location).unwrap(),
                _ => vec![i as u8; 1000 * i],
            };
            Frame::new(kind, body)
        })
        .collect()
}

fn encoded(frames: &[Frame]) -> Vec<u8> {
    let mut out = Vec::new();
    for frame in frames {
        frame.write_to(&mut out).unwrap();
    }
    out
}

#[test]
fn every_kind_round_trips() {
    for frame in sample_frames() {
        let mut bytes = Vec::new();
        wire::write_frame(frame.kind(), frame.body(), &mut bytes).unwrap();
        assert_eq!(bytes.len(), frame.wire_len());
        let mut reader = FrameReader::new(DEFAULT_MAX_FRAME);
        assert_eq!(reader.push(&bytes), bytes.len());
        assert_eq!(reader.next_frame().unwrap(), Some(frame));
        assert_eq!(reader.next_frame().unwrap(), None);
        reader.finish().unwrap();
    }
}

#[test]
fn one_byte_at_a_time() {
    let frames = sample_frames();
    let mut reader = FrameReader::new(DEFAULT_MAX_FRAME);
    assert_eq!(frames_of(&encoded(&frames), &mut reader, 1), frames);
    reader.finish().unwrap();
}

#[test]
fn many_frames_in_one_push() {
    let frames: Vec<Frame> = sample_frames().into_iter().cycle().take(100).collect();
    let bytes = encoded(&frames);
    let mut reader = FrameReader::new(DEFAULT_MAX_FRAME);
    assert_eq!(reader.push(&bytes), bytes.len());
    let mut out = Vec::new();
    while let Some(frame) = reader.next_frame().unwrap() {
        out.push(frame);
    }
    assert_eq!(out, frames);
    assert!(reader.is_at_boundary());
}

#[test]
fn every_chunking_of_a_stream_gives_the_same_frames() {
    let frames = sample_frames();
    let bytes = encoded(&frames);
    // A tight limit: the largest sample frame fits exactly, so pushes are
    // often cut short and must be resumed.
    let largest = frames.iter().map(Frame::wire_len).max().unwrap();
    for chunk in [2, 3, 4, 5, 7, 64, 999, 4096, bytes.len()] {
        let mut reader = FrameReader::new(largest);
        assert_eq!(
            frames_of(&bytes, &mut reader, chunk),
            frames,
            "chunk {chunk}"
        );
        reader.finish().unwrap();
    }
}

#[test]
fn oversize_is_refused_before_buffering() {
    let limit = 1024;
    let mut reader = FrameReader::new(limit);
    let mut bytes = Vec::new();
    wire::write_frame(FrameKind::Bulk, &vec![0xAB; 1 << 20], &mut bytes).unwrap();
    wire::write_frame(FrameKind::Tick, &[], &mut bytes).unwrap();

    // Only the prefix has arrived: refused already, nothing kept.
    assert_eq!(reader.push(&bytes[..4]), 4);
    let err = reader.next_frame().unwrap_err();
    assert!(err.is_oversize() && !err.is_unknown_kind(), "{err}");
    assert_eq!(reader.buffered(), 0);

    // The refused body streams past without being kept.
    let mut frames = Vec::new();
    for piece in bytes[4..].chunks(4000) {
        assert_eq!(reader.push(piece), piece.len());
        assert!(reader.buffered() <= limit);
        while let Some(frame) = reader.next_frame().unwrap() {
            frames.push(frame);
        }
    }
    assert_eq!(frames, [Frame::new(FrameKind::Tick, Vec::new())]);

    // The largest length a prefix can announce.
    let mut reader = FrameReader::new(DEFAULT_MAX_FRAME);
    reader.push(&[0xFF; 64]);
    assert!(reader.next_frame().unwrap_err().is_oversize());
    assert_eq!(reader.buffered(), 0);
    assert!(reader.finish().unwrap_err().is_truncated());
}

#[test]
fn unknown_kind_is_an_error_and_the_stream_goes_on() {
    for byte in [0u8, 11, 0x7F, 0xFF] {
        let mut bytes = vec![0, 0, 0, 4, byte, 1, 2, 3];
        wire::write_frame(FrameKind::Close, b"bye", &mut bytes).unwrap();
        let mut reader = FrameReader::new(64);
        reader.push(&bytes);
        let err = reader.next_frame().unwrap_err();
        assert!(err.is_unknown_kind(), "{err}");
        assert_eq!(err.unknown_kind(), Some(byte));
        let frame = reader.next_frame().unwrap().unwrap();
        assert_eq!(
            (frame.kind(), frame.body()),
            (FrameKind::Close, &b"bye"[..])
        );
    }
}

#[test]
fn truncated_stream_is_reported() {
    let mut bytes = Vec::new();
    wire::write_frame(FrameKind::Message, b"abcdef", &mut bytes).unwrap();
    for cut in 1..bytes.len() {
        let mut reader = FrameReader::new(64);
        reader.push(&bytes[..cut]);
        assert_eq!(reader.next_frame().unwrap(), None);
        assert!(reader.finish().unwrap_err().is_truncated(), "cut {cut}");
    }
}

#[test]
fn header_len_is_prefix_and_kind() {
    assert_eq!(HEADER_LEN, 5);
}

/// The bytes of a Message frame whose body is a `Location`: if this test
/// fails, the wire format changed, and peers built before the change can no
/// longer read this build's frames. Change the expected bytes only together
/// with the protocol version.
#[test]
fn wire_bytes_of_a_location_frame_are_pinned() {
    let location: Location = "127.0.0.1:9705".parse().unwrap();
    let v6: Location = "[ff05::674f:48ba:b409:3171]:9705".parse().unwrap();
    let mut bytes = Vec::new();
    wire::write_frame(
        FrameKind::Message,
        &wire::encode(&location).unwrap(),
        &mut bytes,
    )
    .unwrap();
    wire::write_frame(FrameKind::Reply, &wire::encode(&v6).unwrap(), &mut bytes).unwrap();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    // len 8 | kind 3 (Message) | IpAddr variant 0 (V4) | 127.0.0.1 | port
    // 9705 as a varint (e9 4b); then len 20 | kind 7 (Reply) | variant 1
    // (V6) | 16 address bytes | the same port.
    #[cfg(not(feature = "bincode"))]
    let expected = concat!(
        "00000008",
        "03",
        "00",
        "7f000001",
        "e94b",
        "00000014",
        "07",
        "01",
        "ff05000000000000674f48bab4093171",
        "e94b",
    );
    // bincode's standard varint writes 9705 as fb (u16 follows) e9 25.
    #[cfg(feature = "bincode")]
    let expected = concat!(
        "00000009",
        "03",
        "00",
        "7f000001",
        "fbe925",
        "00000015",
        "07",
        "01",
        "ff05000000000000674f48bab4093171",
        "fbe925",
    );
    assert_eq!(hex, expected);
}
