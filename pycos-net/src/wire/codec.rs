//! The one codec: values to frame bodies and back.
//!
//! Every encoded byte of pycos-net goes through [`encode`] and every decoded
//! one through [`decode`], so the format is chosen in one place. postcard by
//! default; bincode `=2.0.1` (standard configuration: little-endian
//! varints) with the `bincode` feature. The choice is made at compile time
//! and named by [`Codec::ACTIVE`], whose byte the handshake carries.
//!
//! Decoding is bounded: input over the caller's limit is refused before it
//! is looked at, and the [`bounded`](super::bounded) adapter keeps every
//! allocation in proportion to the bytes decoded (no length prefix reserves
//! capacity ahead of its elements). A decode must consume its input
//! exactly; trailing bytes are an error, so one body is one value.

use std::fmt;

use serde::Serialize;
use serde::de::{Deserialize, DeserializeOwned, DeserializeSeed, Deserializer};

use super::bounded::Bounded;
use super::error::{DecodeError, DecodeReason, EncodeError, EncodeReason};

/// A wire codec, as named in the handshake.
///
/// Both are listed whatever the build, so a node can say which codec a
/// peer uses even when it cannot speak it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Codec {
    /// postcard 1.x, the default.
    Postcard,
    /// bincode 2.0.1, behind the `bincode` feature.
    Bincode,
}

impl Codec {
    /// The codec this build encodes and decodes with.
    pub const ACTIVE: Codec = if cfg!(feature = "bincode") {
        Codec::Bincode
    } else {
        Codec::Postcard
    };

    /// The codec's stable byte in the handshake.
    pub const fn byte(self) -> u8 {
        match self {
            Codec::Postcard => 1,
            Codec::Bincode => 2,
        }
    }

    /// The codec with this handshake byte, if any.
    pub const fn from_byte(byte: u8) -> Option<Codec> {
        match byte {
            1 => Some(Codec::Postcard),
            2 => Some(Codec::Bincode),
            _ => None,
        }
    }

    /// The codec's name, as in error messages.
    pub const fn name(self) -> &'static str {
        match self {
            Codec::Postcard => "postcard",
            Codec::Bincode => "bincode",
        }
    }
}

impl fmt::Display for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Encodes `value` with the [active](Codec::ACTIVE) codec.
///
/// # Errors
///
/// An [`EncodeError`] when the value's type cannot be encoded (a sequence
/// of unknown length: [`is_unsupported`](EncodeError::is_unsupported)) or
/// its `Serialize` fails ([`is_refused`](EncodeError::is_refused)).
///
/// # Examples
///
/// ```
/// let bytes = pycos_net::wire::encode(&(7u8, "hi"))?;
/// let back: (u8, String) = pycos_net::wire::decode(&bytes, 64)?;
/// assert_eq!(back, (7, "hi".to_string()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
    imp::encode(value)
}

/// Appends one whole frame to `out`: the length prefix, `kind`, `prefix`
/// (raw bytes outside the codec, such as a request id) and `value`
/// encoded in place, with no intermediate buffer. On error `out` is as it
/// was.
///
/// # Errors
///
/// As [`encode`]; also a refusal when the frame would not fit a 4-byte
/// length.
pub fn encode_frame<T: Serialize + ?Sized>(
    kind: super::FrameKind,
    prefix: &[u8],
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let start = out.len();
    out.extend_from_slice(&[0; super::LEN_PREFIX]);
    out.push(kind.byte());
    out.extend_from_slice(prefix);
    if let Err(err) = imp::encode_into(value, out) {
        out.truncate(start);
        return Err(err);
    }
    let Ok(len) = u32::try_from(out.len() - start - super::LEN_PREFIX) else {
        out.truncate(start);
        return Err(EncodeError::new(
            EncodeReason::Refused,
            "the frame is over 4 GiB".to_owned(),
        ));
    };
    out[start..start + super::LEN_PREFIX].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

/// Decodes one `T` that must fill `bytes` exactly, refusing input longer
/// than `limit` bytes.
///
/// # Errors
///
/// A [`DecodeError`]: input over `limit`
/// ([`is_oversize`](DecodeError::is_oversize), checked before decoding),
/// input that ends inside the value ([`is_truncated`](DecodeError::is_truncated)),
/// bytes left after it ([`is_trailing`](DecodeError::is_trailing)), or bytes
/// that are no encoding of `T` ([`is_malformed`](DecodeError::is_malformed)).
pub fn decode<T: DeserializeOwned>(bytes: &[u8], limit: usize) -> Result<T, DecodeError> {
    if bytes.len() > limit {
        return Err(DecodeError::new(DecodeReason::Oversize {
            len: bytes.len(),
            limit,
        }));
    }
    let (Checked(value), used) = imp::decode::<Checked<T>>(bytes)?;
    match bytes.len() - used {
        0 => Ok(value),
        extra => Err(DecodeError::new(DecodeReason::Trailing { extra })),
    }
}

/// Decodes with `seed` one value that must fill `bytes` exactly, as
/// [`decode`] does for a type: for values whose decoding needs state (a
/// remote function's arguments, decoded by its registry entry).
pub(crate) fn decode_seed<'de, S: DeserializeSeed<'de>>(
    bytes: &'de [u8],
    limit: usize,
    seed: S,
) -> Result<S::Value, DecodeError> {
    if bytes.len() > limit {
        return Err(DecodeError::new(DecodeReason::Oversize {
            len: bytes.len(),
            limit,
        }));
    }
    let (value, used) = imp::decode_seed(bytes, BoundedSeed(seed))?;
    match bytes.len() - used {
        0 => Ok(value),
        extra => Err(DecodeError::new(DecodeReason::Trailing { extra })),
    }
}

/// A seed that decodes through the [`Bounded`] adapter.
struct BoundedSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for BoundedSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Bounded(d))
    }
}

/// A `T` decoded through the [`Bounded`] adapter: the codecs' own entry
/// points take a type, so the adapter goes in through this one.
struct Checked<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(Bounded(d)).map(Checked)
    }
}

#[cfg(not(feature = "bincode"))]
mod imp {
    use super::*;
    use postcard::Error;

    pub(super) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
        postcard::to_stdvec(value).map_err(error)
    }

    /// postcard's output flavour that appends to a borrowed `Vec`.
    struct Append<'a>(&'a mut Vec<u8>);

    impl postcard::ser_flavors::Flavor for Append<'_> {
        type Output = ();

        fn try_push(&mut self, data: u8) -> postcard::Result<()> {
            self.0.push(data);
            Ok(())
        }

        fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
            self.0.extend_from_slice(data);
            Ok(())
        }

        fn finalize(self) -> postcard::Result<()> {
            Ok(())
        }
    }

    pub(super) fn encode_into<T: Serialize + ?Sized>(
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        postcard::serialize_with_flavor(value, Append(out)).map_err(error)
    }

    fn error(err: Error) -> EncodeError {
        let reason = match err {
            Error::SerializeSeqLengthUnknown => EncodeReason::Unsupported,
            _ => EncodeReason::Refused,
        };
        EncodeError::new(reason, err.to_string())
    }

    /// The value and how many bytes it used.
    pub(super) fn decode<'de, T: Deserialize<'de>>(
        bytes: &'de [u8],
    ) -> Result<(T, usize), DecodeError> {
        match postcard::take_from_bytes(bytes) {
            Ok((value, rest)) => Ok((value, bytes.len() - rest.len())),
            Err(err) => Err(decode_error(err)),
        }
    }

    /// The seed's value and how many bytes it used.
    pub(super) fn decode_seed<'de, S: DeserializeSeed<'de>>(
        bytes: &'de [u8],
        seed: S,
    ) -> Result<(S::Value, usize), DecodeError> {
        let mut de = postcard::Deserializer::from_bytes(bytes);
        let value = seed.deserialize(&mut de).map_err(decode_error)?;
        let rest = de.finalize().map_err(decode_error)?;
        Ok((value, bytes.len() - rest.len()))
    }

    fn decode_error(err: Error) -> DecodeError {
        match err {
            Error::DeserializeUnexpectedEnd => DecodeError::new(DecodeReason::Truncated),
            err => DecodeError::new(DecodeReason::Malformed(err.to_string())),
        }
    }
}

#[cfg(feature = "bincode")]
mod imp {
    use super::*;
    use bincode::error::{DecodeError as BinDecodeError, EncodeError as BinEncodeError};

    pub(super) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
        bincode::serde::encode_to_vec(value, bincode::config::standard()).map_err(error)
    }

    pub(super) fn encode_into<T: Serialize + ?Sized>(
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        bincode::serde::encode_into_std_write(value, out, bincode::config::standard())
            .map(drop)
            .map_err(error)
    }

    fn error(err: BinEncodeError) -> EncodeError {
        let reason = match err {
            BinEncodeError::Serde(bincode::serde::EncodeError::SequenceMustHaveLength) => {
                EncodeReason::Unsupported
            }
            _ => EncodeReason::Refused,
        };
        EncodeError::new(reason, err.to_string())
    }

    /// The value and how many bytes it used.
    pub(super) fn decode<'de, T: Deserialize<'de>>(
        bytes: &'de [u8],
    ) -> Result<(T, usize), DecodeError> {
        match bincode::serde::borrow_decode_from_slice(bytes, bincode::config::standard()) {
            Ok(done) => Ok(done),
            Err(BinDecodeError::UnexpectedEnd { .. }) => {
                Err(DecodeError::new(DecodeReason::Truncated))
            }
            Err(err) => Err(DecodeError::new(DecodeReason::Malformed(err.to_string()))),
        }
    }

    /// The seed's value and how many bytes it used.
    pub(super) fn decode_seed<'de, S: DeserializeSeed<'de>>(
        bytes: &'de [u8],
        seed: S,
    ) -> Result<(S::Value, usize), DecodeError> {
        match bincode::serde::seed_decode_from_slice(seed, bytes, bincode::config::standard()) {
            Ok(done) => Ok(done),
            Err(BinDecodeError::UnexpectedEnd { .. }) => {
                Err(DecodeError::new(DecodeReason::Truncated))
            }
            Err(err) => Err(DecodeError::new(DecodeReason::Malformed(err.to_string()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    enum Shape {
        Unit,
        New(String),
        Tuple(u8, Vec<u16>),
        Struct {
            name: String,
            tags: HashMap<String, Vec<u8>>,
        },
    }

    #[test]
    fn codec_bytes_are_stable() {
        assert_eq!(Codec::Postcard.byte(), 1);
        assert_eq!(Codec::Bincode.byte(), 2);
        for codec in [Codec::Postcard, Codec::Bincode] {
            assert_eq!(Codec::from_byte(codec.byte()), Some(codec));
        }
        assert_eq!(Codec::from_byte(0), None);
        assert_eq!(Codec::ACTIVE.to_string(), Codec::ACTIVE.name());
        #[cfg(feature = "bincode")]
        assert_eq!(Codec::ACTIVE, Codec::Bincode);
        #[cfg(not(feature = "bincode"))]
        assert_eq!(Codec::ACTIVE, Codec::Postcard);
    }

    #[test]
    fn round_trips_through_the_adapter() {
        let values = vec![
            Shape::Unit,
            Shape::New("é".repeat(100)),
            Shape::Tuple(3, vec![1, 300, 65535]),
            Shape::Struct {
                name: "n".into(),
                tags: HashMap::from([("a".into(), vec![1, 2]), ("b".into(), vec![])]),
            },
        ];
        let bytes = encode(&values).unwrap();
        assert_eq!(decode::<Vec<Shape>>(&bytes, bytes.len()).unwrap(), values);
        let map = BTreeMap::from([(1u64, Some(-1i128)), (u64::MAX, None)]);
        let bytes = encode(&map).unwrap();
        assert_eq!(
            decode::<BTreeMap<u64, Option<i128>>>(&bytes, 1024).unwrap(),
            map
        );
    }

    #[test]
    fn limit_trailing_truncated_malformed() {
        let bytes = encode("hello").unwrap();
        let err = decode::<String>(&bytes, bytes.len() - 1).unwrap_err();
        assert!(err.is_oversize(), "{err}");
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode::<String>(&longer, 64).unwrap_err().is_trailing());
        assert!(
            decode::<String>(&bytes[..3], 64)
                .unwrap_err()
                .is_truncated()
        );
        assert!(decode::<bool>(&[7], 64).unwrap_err().is_malformed());
        assert!(decode::<Shape>(&[9], 64).unwrap_err().is_malformed());
    }

    #[test]
    fn unknown_length_is_unsupported() {
        struct Unsized;
        impl Serialize for Unsized {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq;
                s.serialize_seq(None)?.end()
            }
        }
        struct Refuses;
        impl Serialize for Refuses {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        assert!(encode(&Unsized).unwrap_err().is_unsupported());
        assert!(encode(&Refuses).unwrap_err().is_refused());
    }
}
