//! [`Digest`]: the SHA-256 name of an executable, and hashing a file.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::str::FromStr;

/// How much of a file [`digest_file`] reads at a time.
pub(super) const READ_CHUNK: usize = 64 * 1024;

/// A SHA-256 digest: the name of an executable in an [`ExeCache`](super::ExeCache).
///
/// It is written as 64 lowercase hex digits, and parsed ([`FromStr`])
/// only from that form, so that one digest has one file name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct Digest([u8; 32]);

impl Digest {
    /// The SHA-256 digest of `bytes`.
    #[cfg(test)]
    pub(crate) fn of(bytes: &[u8]) -> Digest {
        Digest::from_ring(ring::digest::digest(&ring::digest::SHA256, bytes))
    }

    fn from_ring(digest: ring::digest::Digest) -> Digest {
        let mut bytes = [0; 32];
        // SHA-256 gives 32 bytes by definition; `ring` types them as a slice.
        bytes.copy_from_slice(digest.as_ref());
        Digest(bytes)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

impl FromStr for Digest {
    type Err = ParseDigestError;

    fn from_str(hex: &str) -> Result<Digest, ParseDigestError> {
        let digits = hex.as_bytes();
        if digits.len() != 64 {
            return Err(ParseDigestError::Length(digits.len()));
        }
        let mut bytes = [0; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            let nibble = |at: usize| hex_value(digits[at]).ok_or(ParseDigestError::Digit(at));
            *byte = nibble(2 * i)? << 4 | nibble(2 * i + 1)?;
        }
        Ok(Digest(bytes))
    }
}

/// The value of one lowercase hex digit.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

/// Why a text is not a [`Digest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseDigestError {
    /// The text has this many bytes instead of 64 hex digits.
    Length(usize),
    /// The byte at this offset is not a lowercase hex digit.
    Digit(usize),
}

impl fmt::Display for ParseDigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseDigestError::Length(length) => write!(
                f,
                "a SHA-256 digest is 64 hex digits, this text has {length} bytes"
            ),
            ParseDigestError::Digit(at) => write!(
                f,
                "a SHA-256 digest is 64 lowercase hex digits, byte {at} is not one"
            ),
        }
    }
}

impl std::error::Error for ParseDigestError {}

/// The SHA-256 digest of the file at `path`, read 64 KiB at a time so a
/// large executable never sits in memory whole.
///
/// # Errors
///
/// Whatever opening or reading the file gives.
pub(crate) fn digest_file(path: &Path) -> io::Result<Digest> {
    let mut file = File::open(path)?;
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut chunk = vec![0; READ_CHUNK];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return Ok(Digest::from_ring(context.finish())),
            Ok(read) => context.update(&chunk[..read]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}
