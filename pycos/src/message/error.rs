//! The errors of the message registry, one small type per failure.

use std::error::Error;
use std::fmt;

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

/// Where a message type was registered: the source place of its derive or
/// of the `register` call, or the core's own list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// One of the types the core registers itself.
    BuiltIn,
    /// A `#[derive(Message)]` or a `register::<T>()` call.
    Source { file: &'static str, line: u32 },
}

/// A registered type and where it was registered, as a duplicate names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) type_name: &'static str,
    pub(crate) place: Place,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::BuiltIn => write!(f, "`{}` (built in)", self.type_name),
            Place::Source { file, line } => write!(f, "`{}` ({file}:{line})", self.type_name),
        }
    }
}

/// Two different types claim one wire name: a receiver could not tell
/// which one a message holds. Give one of them another name with
/// `#[message(name = "...")]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateMessage {
    name: &'static str,
    first: Origin,
    second: Origin,
}

impl DuplicateMessage {
    pub(crate) fn new(name: &'static str, first: Origin, second: Origin) -> DuplicateMessage {
        DuplicateMessage {
            name,
            first,
            second,
        }
    }

    /// The wire name both types claim.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The Rust type names of the two types, the one registered first
    /// first.
    pub fn type_names(&self) -> [&'static str; 2] {
        [self.first.type_name, self.second.type_name]
    }
}

impl fmt::Display for DuplicateMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "two message types share the wire name `{}`: {} and {}; give one another name with #[message(name = \"...\")]",
            self.name, self.first, self.second
        )
    }
}

impl Error for DuplicateMessage {}
