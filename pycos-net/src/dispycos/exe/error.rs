//! [`ExeError`]: why an executable could not be found, hashed, cached or
//! run here.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::Digest;

/// Why an executable could not be found, hashed, cached or run here.
#[derive(Debug)]
pub(crate) enum ExeError {
    /// A file operation failed.
    Io {
        /// What was being done, as a verb: "read", "create", …
        action: &'static str,
        /// What it was done to.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The system would not say where this program's executable is.
    NoCurrentExe(io::Error),
    /// The file's content does not hash to the digest it was sent under.
    Mismatch {
        /// The digest it was sent under.
        expected: Digest,
        /// The digest of what arrived.
        actual: Digest,
    },
    /// The file is not an executable this machine can run.
    Foreign {
        /// What the file is instead, e.g. "an ELF for aarch64, this node
        /// is x86_64".
        what: String,
    },
    /// This node's architecture is not one whose ELF machine number this
    /// build knows, so no executable can be checked.
    UnsupportedHost {
        /// The architecture, as Rust names it.
        arch: &'static str,
    },
}

impl ExeError {
    pub(super) fn io(action: &'static str, path: impl AsRef<Path>, source: io::Error) -> ExeError {
        let path = path.as_ref().to_owned();
        ExeError::Io {
            action,
            path,
            source,
        }
    }
}

impl fmt::Display for ExeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExeError::Io {
                action,
                path,
                source,
            } => {
                write!(f, "could not {action} {}: {source}", path.display())
            }
            ExeError::NoCurrentExe(source) => {
                write!(f, "could not find this program's executable: {source}")
            }
            ExeError::Mismatch { expected, actual } => write!(
                f,
                "the executable received as {expected} hashes to {actual}; it was damaged \
                 on the way or changed since it was hashed, so send it again"
            ),
            ExeError::Foreign { what } => write!(
                f,
                "the client's executable cannot run on this node: {what}; build the client \
                 for this node's platform"
            ),
            ExeError::UnsupportedHost { arch } => write!(
                f,
                "this node's architecture ({arch}) is not one whose executables dispycos \
                 knows how to check"
            ),
        }
    }
}

impl std::error::Error for ExeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExeError::Io { source, .. } | ExeError::NoCurrentExe(source) => Some(source),
            _ => None,
        }
    }
}
