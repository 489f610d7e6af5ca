//! The error of the remote function registry.

use std::error::Error;
use std::fmt;

use crate::message::error::Origin;

/// Two different functions claim one remote name: a peer could not tell
/// which one to create. Give one of them another name with
/// `#[task(remote, name = "...")]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateRemoteFn {
    name: &'static str,
    first: Origin,
    second: Origin,
}

impl DuplicateRemoteFn {
    pub(crate) fn new(name: &'static str, first: Origin, second: Origin) -> DuplicateRemoteFn {
        DuplicateRemoteFn {
            name,
            first,
            second,
        }
    }

    /// The name both functions claim.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The Rust type names of the two functions' [`RemoteFn`](super::RemoteFn)
    /// types, the one registered first first.
    pub fn type_names(&self) -> [&'static str; 2] {
        [self.first.type_name, self.second.type_name]
    }
}

impl fmt::Display for DuplicateRemoteFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "two remote task functions share the name `{}`: {} and {}; give one another name with #[task(remote, name = \"...\")]",
            self.name, self.first, self.second
        )
    }
}

impl Error for DuplicateRemoteFn {}
