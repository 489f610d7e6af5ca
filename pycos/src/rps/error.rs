//! The error of the remote function registry.

use std::error::Error;
use std::fmt;

use crate::registry::{Duplicate, Wording};

/// Two different functions claim one remote name: a peer could not tell
/// which one to create. Give one of them another name with
/// `#[task(remote, name = "...")]`.
#[derive(Clone, PartialEq, Eq)]
pub struct DuplicateRemoteFn(Duplicate);

/// How [`DuplicateRemoteFn`] names what the remote function registry holds.
const WORDING: Wording = Wording {
    what: "remote task functions",
    key: "name",
    rename: "#[task(remote, name = \"...\")]",
};

impl DuplicateRemoteFn {
    pub(crate) fn new(duplicate: Duplicate) -> DuplicateRemoteFn {
        DuplicateRemoteFn(duplicate)
    }

    /// The name both functions claim.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The Rust type names of the two functions' [`RemoteFn`](super::RemoteFn)
    /// types, the one registered first first.
    pub fn type_names(&self) -> [&'static str; 2] {
        self.0.type_names()
    }
}

impl fmt::Debug for DuplicateRemoteFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.debug(f, "DuplicateRemoteFn")
    }
}

impl fmt::Display for DuplicateRemoteFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.describe(f, &WORDING)
    }
}

impl Error for DuplicateRemoteFn {}
