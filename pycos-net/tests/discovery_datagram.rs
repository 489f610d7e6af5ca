//! The discovery datagram: round trips, each field corrupted, the tag with
//! and without a secret, oversize and truncated input.

use pycos_net::discovery::{self, Announce, AnnounceKind, DatagramError, MAX_DATAGRAM};

const SECRET: &[u8] = b"a shared random token";

fn announce(location: &str) -> Announce {
    Announce {
        kind: AnnounceKind::Ping,
        incarnation: 0x1122_3344_5566_7788,
        location: location.parse().unwrap(),
        name: "nœud".into(),
    }
}

#[test]
fn round_trips_with_and_without_secret() {
    for location in ["10.77.1.1:9705", "[fe80::1]:1"] {
        for kind in [AnnounceKind::Ping, AnnounceKind::Pong] {
            for secret in [Some(SECRET), None] {
                let a = Announce {
                    kind,
                    ..announce(location)
                };
                let bytes = discovery::encode(&a, secret).unwrap();
                assert!(bytes.len() <= MAX_DATAGRAM);
                assert_eq!(discovery::decode(&bytes, secret).unwrap(), a);
            }
        }
    }
    let bytes = discovery::encode(&announce("10.0.0.1:1"), None).unwrap();
    assert_eq!(&bytes[..6], b"PYCD\x01\x01");
    assert_eq!(&bytes[bytes.len() - 16..], [0; 16], "no secret: zero tag");
}

#[test]
fn wrong_or_missing_secret_fails_the_tag() {
    let tagged = discovery::encode(&announce("10.0.0.1:9705"), Some(SECRET)).unwrap();
    let plain = discovery::encode(&announce("10.0.0.1:9705"), None).unwrap();
    assert_eq!(
        discovery::decode(&tagged, Some(b"another token")),
        Err(DatagramError::Tag)
    );
    assert_eq!(discovery::decode(&tagged, None), Err(DatagramError::Tag));
    assert_eq!(
        discovery::decode(&plain, Some(SECRET)),
        Err(DatagramError::Tag)
    );
    assert!(!tagged.windows(SECRET.len()).any(|w| w == SECRET));
}

#[test]
fn every_corrupted_byte_is_an_error() {
    // With a secret, changing any byte at all fails: a field check, or the
    // tag, which covers every byte before it.
    let a = announce("10.0.0.1:9705");
    let bytes = discovery::encode(&a, Some(SECRET)).unwrap();
    for at in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xFF] {
            let mut bad = bytes.clone();
            bad[at] ^= flip;
            let err = discovery::decode(&bad, Some(SECRET)).unwrap_err();
            let expected = match at {
                0..=3 => matches!(err, DatagramError::BadMagic),
                4 => matches!(err, DatagramError::Version { ours: 1, .. }),
                5 => matches!(err, DatagramError::UnknownKind(_)),
                _ => true,
            };
            assert!(expected, "byte {at} ^ {flip:#x}: {err:?}");
            assert!(!err.to_string().is_empty());
        }
    }
    // Each field's own check, without a secret to catch it first.
    let plain = discovery::encode(&a, None).unwrap();
    let family_at = 14;
    let name_at = family_at + 7;
    let mut family = plain.clone();
    family[family_at] = 5;
    let mut name_len = plain.clone();
    name_len[name_at] = 65;
    let mut utf8 = plain.clone();
    utf8[name_at + 1] = 0xFF;
    let mut long_name = plain.clone();
    long_name[name_at] += 1;
    for (what, bad) in [
        ("family", family),
        ("name length", name_len),
        ("utf-8", utf8),
        ("name runs into the tag", long_name),
    ] {
        let err = discovery::decode(&bad, None).unwrap_err();
        assert!(
            matches!(
                err,
                DatagramError::Malformed(_) | DatagramError::Truncated | DatagramError::Tag
            ),
            "{what}: {err:?}"
        );
    }
    let mut utf8 = plain.clone();
    utf8[name_at + 1] = 0xFF;
    assert!(matches!(
        discovery::decode(&utf8, None),
        Err(DatagramError::Malformed(_))
    ));
}

#[test]
fn oversize_truncated_and_trailing_are_refused() {
    let bytes = discovery::encode(&announce("[::1]:9705"), Some(SECRET)).unwrap();
    for len in 0..bytes.len() {
        let err = discovery::decode(&bytes[..len], Some(SECRET)).unwrap_err();
        assert!(
            matches!(err, DatagramError::Truncated | DatagramError::Tag),
            "{len}: {err:?}"
        );
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(discovery::decode(&trailing, Some(SECRET)).is_err());
    let oversize = vec![0; MAX_DATAGRAM + 1];
    assert_eq!(
        discovery::decode(&oversize, None),
        Err(DatagramError::Oversize { len: 129 })
    );
    assert_eq!(
        discovery::decode(b"ping:", None),
        Err(DatagramError::BadMagic)
    );
}

#[test]
fn long_names_cannot_be_announced() {
    let a = Announce {
        name: "n".repeat(65),
        ..announce("10.0.0.1:1")
    };
    assert_eq!(
        discovery::encode(&a, None),
        Err(DatagramError::NameTooLong { len: 65 })
    );
}
