//! The errors of the message registry, one small type per failure.

use std::error::Error;
use std::fmt;

use crate::registry::{Duplicate, Wording};

/// A message's payload type is not registered, so it cannot be encoded:
/// derive [`Message`](crate::Message) for it, or call
/// [`register`](super::register).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotSerializable {
    type_name: &'static str,
}

impl NotSerializable {
    pub(crate) fn new(type_name: &'static str) -> NotSerializable {
        NotSerializable { type_name }
    }

    /// The Rust type name of the payload that cannot cross the wire.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

impl fmt::Display for NotSerializable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` cannot cross the wire: derive pycos::Message for it (or call pycos::message::register)",
            self.type_name
        )
    }
}

impl Error for NotSerializable {}

/// Two different types claim one wire name: a receiver could not tell
/// which one a message holds. Give one of them another name with
/// `#[message(name = "...")]`.
#[derive(Clone, PartialEq, Eq)]
pub struct DuplicateMessage(Duplicate);

/// How [`DuplicateMessage`] names what the message registry holds.
const WORDING: Wording = Wording {
    what: "message types",
    key: "wire name",
    rename: "#[message(name = \"...\")]",
};

impl DuplicateMessage {
    pub(crate) fn new(duplicate: Duplicate) -> DuplicateMessage {
        DuplicateMessage(duplicate)
    }

    /// The wire name both types claim.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The Rust type names of the two types, the one registered first
    /// first.
    pub fn type_names(&self) -> [&'static str; 2] {
        self.0.type_names()
    }
}

impl fmt::Debug for DuplicateMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.debug(f, "DuplicateMessage")
    }
}

impl fmt::Display for DuplicateMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.describe(f, &WORDING)
    }
}

impl Error for DuplicateMessage {}
