//! What can go wrong for a dispycos client.

use std::fmt;

use crate::RpsError;

/// Why a client call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum DispycosError {
    /// A client option is invalid (the text says which and why).
    Invalid(String),
    /// No node runs in this process and none could be started.
    NoNode(String),
    /// The client is not scheduled (call `schedule` first), or closed.
    NotScheduled,
    /// The spec is not of a `#[task(remote)]` function.
    NotRemote {
        /// The task function's name.
        name: String,
    },
    /// The scheduler refused (the text says why).
    Refused(String),
    /// No scheduler answered in time.
    TimedOut,
    /// The job could not be created at its server.
    Create(RpsError),
    /// The client's executable cannot be read or hashed.
    Executable(String),
}

impl fmt::Display for DispycosError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DispycosError::Invalid(why) => write!(f, "invalid dispycos client: {why}"),
            DispycosError::NoNode(why) => write!(f, "no node runs in this process: {why}"),
            DispycosError::NotScheduled => write!(f, "the dispycos client is not scheduled"),
            DispycosError::NotRemote { name } => write!(
                f,
                "`{name}` is not a remote task function: mark it #[task(remote)] to run it on a cluster"
            ),
            DispycosError::Refused(why) => write!(f, "the dispycos scheduler refused: {why}"),
            DispycosError::TimedOut => write!(f, "the dispycos scheduler did not answer in time"),
            DispycosError::Create(err) => write!(f, "cannot create the job: {err}"),
            DispycosError::Executable(why) => write!(f, "the client's executable: {why}"),
        }
    }
}

impl std::error::Error for DispycosError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DispycosError::Create(err) => Some(err),
            _ => None,
        }
    }
}
