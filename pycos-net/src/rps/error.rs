//! [`RpsError`]: why an RPS operation failed, and [`Refusal`], what a peer
//! answers when it refuses one.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Location;

/// Why an RPS operation failed. Every failure of a call is one of these
/// on the caller's side, never a hang: a call that gets no answer within
/// the message timeout is [`TimedOut`](RpsError::TimedOut).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RpsError {
    /// No node runs in this process: start one first.
    NoNode,
    /// `register`: this node publishes a function under the name already.
    AlreadyRegistered {
        /// The remote function's name.
        name: &'static str,
    },
    /// `locate`: no peer published the name within the time limit.
    NotFound {
        /// The remote function's name.
        name: &'static str,
    },
    /// `locate`: a peer publishes the name, but with other types (and no
    /// peer with ours answered in time).
    SignatureMismatch {
        /// The remote function's name.
        name: &'static str,
        /// Our signature hash and types (`"(u64) -> u64"`).
        ours: (u64, &'static str),
        /// The peer that has another one.
        at: Location,
        /// Its signature hash and types.
        theirs: (u64, String),
    },
    /// `call`: the peer does not (or no longer) publish the name.
    NotRegistered {
        /// The remote function's name.
        name: &'static str,
        /// The peer asked.
        at: Location,
    },
    /// `call`: the peer could not decode the arguments (or its function
    /// has another signature now); the text says why.
    BadArgs {
        /// The remote function's name.
        name: &'static str,
        /// What the peer said.
        why: String,
    },
    /// `call`: the arguments cannot be encoded (a `Msg` of a type that is
    /// not registered, say); the text says why.
    NotSerializable(String),
    /// The peer is not reachable (the text names it and why).
    Unreachable(String),
    /// No answer within the message timeout: whether the task was created
    /// is unknown.
    TimedOut,
    /// `call` after [`close`](super::Rps::close).
    Closed {
        /// The remote function's name.
        name: &'static str,
    },
    /// The peer answered something this node does not expect.
    Refused(String),
}

impl fmt::Display for RpsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RpsError::NoNode => f.write_str("no pycos-net node runs in this process"),
            RpsError::AlreadyRegistered { name } => {
                write!(f, "RPS \"{name}\" is registered on this node already")
            }
            RpsError::NotFound { name } => write!(f, "no peer publishes RPS \"{name}\""),
            RpsError::SignatureMismatch {
                name,
                ours,
                at,
                theirs,
            } => write!(
                f,
                "RPS \"{name}\" at {at} has the signature {} {:#018x}, this program's is {} {:#018x}: build both from the same source",
                theirs.1, theirs.0, ours.1, ours.0
            ),
            RpsError::NotRegistered { name, at } => {
                write!(f, "RPS \"{name}\" is not registered at {at}")
            }
            RpsError::BadArgs { name, why } => {
                write!(f, "RPS \"{name}\" refused the arguments: {why}")
            }
            RpsError::NotSerializable(why) => {
                write!(f, "the arguments cannot cross the wire: {why}")
            }
            RpsError::Unreachable(why) => write!(f, "the RPS peer is unreachable: {why}"),
            RpsError::TimedOut => f.write_str("no answer from the RPS peer in time"),
            RpsError::Closed { name } => write!(f, "the proxy of RPS \"{name}\" is closed"),
            RpsError::Refused(why) => write!(f, "the RPS peer refused: {why}"),
        }
    }
}

impl std::error::Error for RpsError {}

/// Why a peer refused a `LocateRps` or `RunRps`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Refusal {
    /// The name is not published there.
    NotRegistered,
    /// Published with another signature (its hash and text).
    Signature { signature: u64, types: String },
    /// The arguments did not decode (why).
    BadArgs(String),
}
