//! What the file requests and answers carry (inside `proto::Op` and
//! `proto::Answer`), and the file attributes that travel with a file.

use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// `Op::FileStart`: a file the sender offers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Offer {
    /// The file's name: the basename of the sender's path.
    pub(crate) name: String,
    /// The directory under the receiver's `dest_path`, as components.
    pub(crate) dir: Vec<String>,
    pub(crate) meta: FileMeta,
    pub(crate) overwrite: bool,
}

/// `Op::FileChunk`: the bytes of a transfer at `offset`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Chunk {
    pub(crate) transfer: u64,
    pub(crate) offset: u64,
    pub(crate) data: Bytes,
}

/// `Op::FileDelete`: the file `dest_path/dir/name`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FileName {
    pub(crate) name: String,
    pub(crate) dir: Vec<String>,
}

/// Why the receiver refused a file request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Refusal {
    pub(crate) fault: Fault,
    pub(crate) why: String,
}

impl Refusal {
    pub(crate) fn new(fault: Fault, why: impl Into<String>) -> Refusal {
        Refusal {
            fault,
            why: why.into(),
        }
    }
}

/// The kinds of [`Refusal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Fault {
    /// A different file is there and `overwrite` is false.
    Exists,
    /// The path leads out of `dest_path`.
    Escape,
    /// Over `max_file_size`.
    Oversize,
    /// No such file (`del_file`).
    NotFound,
    /// A file system call failed.
    Io,
    /// No such transfer (it failed or was cleaned up), or a chunk not at
    /// the offset the receiver has.
    Lost,
}

/// A byte string encoded as one (not as a sequence of numbers).
#[derive(Default, PartialEq, Eq)]
pub(crate) struct Bytes(pub(crate) Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} bytes", self.0.len())
    }
}

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
        d.deserialize_byte_buf(BytesVisitor)
    }
}

struct BytesVisitor;

impl<'de> serde::de::Visitor<'de> for BytesVisitor {
    type Value = Bytes;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a byte string")
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
        Ok(Bytes(v.to_vec()))
    }

    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
        Ok(Bytes(v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Bytes, A::Error> {
        // Only a few bytes are reserved up front: the length is the peer's.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(byte) = seq.next_element()? {
            out.push(byte);
        }
        Ok(Bytes(out))
    }
}

/// A file's size, times and permission bits, as `send_file` keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileMeta {
    pub(crate) size: u64,
    /// Seconds and nanoseconds since the epoch (negative before it).
    pub(crate) mtime: (i64, u32),
    pub(crate) atime: (i64, u32),
    /// The permission bits (`0o777`): set-id and sticky bits are not kept.
    pub(crate) mode: u32,
}

/// The bits of a mode that cross.
const MODE_BITS: u32 = 0o777;

impl FileMeta {
    pub(crate) fn of(meta: &Metadata) -> FileMeta {
        FileMeta {
            size: meta.len(),
            mtime: (meta.mtime(), nanos(meta.mtime_nsec())),
            atime: (meta.atime(), nanos(meta.atime_nsec())),
            mode: meta.mode() & MODE_BITS,
        }
    }

    /// pycos' test for a file that need not be sent: the same size and
    /// mode, modified within a second of each other.
    pub(crate) fn same_file(&self, other: &FileMeta) -> bool {
        let at = |(secs, nanos): (i64, u32)| secs as i128 * 1_000_000_000 + nanos as i128;
        self.size == other.size
            && self.mode == other.mode
            && (at(self.mtime) - at(other.mtime)).abs() <= 1_000_000_000
    }

    pub(crate) fn modified(&self) -> SystemTime {
        system_time(self.mtime)
    }

    pub(crate) fn accessed(&self) -> SystemTime {
        system_time(self.atime)
    }
}

fn nanos(ns: i64) -> u32 {
    u32::try_from(ns.clamp(0, 999_999_999)).unwrap_or(0)
}

fn system_time((secs, nanos): (i64, u32)) -> SystemTime {
    let nanos = Duration::from_nanos(u64::from(nanos.min(999_999_999)));
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs()) + nanos
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs()) + nanos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_encode_as_one_string_and_decode_back() {
        let data = Bytes((0..=255).collect());
        let encoded = crate::wire::encode(&data).unwrap();
        assert!(encoded.len() < 256 + 4, "a length and the bytes");
        let back: Bytes = crate::wire::decode(&encoded, 1 << 20).unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn same_file_allows_a_second_of_mtime_and_nothing_else() {
        let a = FileMeta {
            size: 10,
            mtime: (1000, 500),
            atime: (0, 0),
            mode: 0o644,
        };
        assert!(a.same_file(&FileMeta {
            mtime: (1001, 500),
            ..a
        }));
        assert!(!a.same_file(&FileMeta {
            mtime: (1001, 501),
            ..a
        }));
        assert!(!a.same_file(&FileMeta { size: 11, ..a }));
        assert!(!a.same_file(&FileMeta { mode: 0o600, ..a }));
    }

    #[test]
    fn times_before_the_epoch_convert() {
        let t = system_time((-2, 500_000_000));
        assert_eq!(
            UNIX_EPOCH.duration_since(t).unwrap(),
            Duration::from_millis(1500)
        );
    }
}
