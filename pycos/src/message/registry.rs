//! The registry of wire types: one [`Entry`] per message type, found by
//! `TypeId` to encode and by wire name to decode.
//!
//! Design note: the crate's two-table registry (`crate::registry`), keyed
//! both ways. Its static table is built once, on first use, from the
//! built-ins and the `#[derive(Message)]` entries that linkme gathered
//! into [`MESSAGES`] at link time, and takes no lock; the explicit one
//! holds what [`register`] added, behind an `RwLock` read only when the
//! static table misses (encoding looks up by type on every send). A wire
//! name belongs to one type: a second type under a taken name is refused
//! by `register` and, among the static entries (where the first one in
//! link order keeps the name), reported by [`check_registry`], which
//! pycos-net calls when a node starts.

use std::any::{Any, TypeId};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Message;
use super::error::DuplicateMessage;
use crate::Msg;
use crate::registry::{self, Key, Place, Registry, Statics};

/// Borrows a message's payload as something erased-serde can serialize;
/// `None` when the payload is not this entry's type.
type Encode = for<'a> fn(&'a Msg) -> Option<&'a dyn erased_serde::Serialize>;

/// Decodes a payload of this entry's type into a `Msg`.
type Decode =
    for<'de> fn(&mut dyn erased_serde::Deserializer<'de>) -> Result<Msg, erased_serde::Error>;

/// How one message type crosses the wire. Made by `#[derive(Message)]`
/// (through [`Entry::of`]), [`register`] and the built-in list.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Entry {
    key: Key,
    pub(crate) encode: Encode,
    /// `None` for a type that is encoded under another type's name and so
    /// never decoded as itself (`&'static str`, which arrives as `String`).
    pub(crate) decode: Option<Decode>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.key.name)
            .field("type", &self.key.type_name())
            .field("place", &self.key.place)
            .finish()
    }
}

impl Entry {
    /// The entry of a derived message type, registered at `file:line`.
    pub const fn of<T: Message>(file: &'static str, line: u32) -> Entry {
        Entry::new::<T>(T::NAME, Place::Source { file, line })
    }

    /// The entry of a type the core registers itself.
    pub(crate) const fn builtin<T>(name: &'static str) -> Entry
    where
        T: Serialize + DeserializeOwned + Any + Send + Sync,
    {
        Entry::new::<T>(name, Place::BuiltIn)
    }

    /// A type encoded under `name` that decodes as the type owning `name`.
    pub(crate) const fn encode_only<T>(name: &'static str) -> Entry
    where
        T: Serialize + Any + Send + Sync,
    {
        Entry {
            key: Key::of::<T>(name, Place::BuiltIn),
            encode: encode::<T>,
            decode: None,
        }
    }

    const fn new<T>(name: &'static str, place: Place) -> Entry
    where
        T: Serialize + DeserializeOwned + Any + Send + Sync,
    {
        Entry {
            key: Key::of::<T>(name, place),
            encode: encode::<T>,
            decode: Some(decode::<T>),
        }
    }

    /// The wire name payloads of this entry's type travel under.
    #[inline]
    pub(crate) fn name(&self) -> &'static str {
        self.key.name
    }
}

impl registry::Entry for Entry {
    fn key(&self) -> &Key {
        &self.key
    }

    /// An encode-only entry borrows the name of the type it decodes as.
    fn holds_name(&self) -> bool {
        self.decode.is_some()
    }
}

fn encode<T: Serialize + Any>(msg: &Msg) -> Option<&dyn erased_serde::Serialize> {
    msg.downcast_ref::<T>()
        .map(|value| value as &dyn erased_serde::Serialize)
}

fn decode<T: DeserializeOwned + Any + Send + Sync>(
    de: &mut dyn erased_serde::Deserializer<'_>,
) -> Result<Msg, erased_serde::Error> {
    erased_serde::deserialize::<T>(de).map(Msg::new)
}

/// The entries `#[derive(Message)]` adds at link time.
#[doc(hidden)]
#[linkme::distributed_slice]
pub static MESSAGES: [Entry];

static REGISTRY: Registry<Entry> =
    Registry::new(|| Statics::of(super::builtin::ENTRIES.iter().chain(MESSAGES.iter())));

/// The entry that encodes payloads of type `type_id`.
#[inline]
pub(crate) fn by_type(type_id: TypeId) -> Option<Entry> {
    REGISTRY.by_type(type_id)
}

/// The entry that decodes payloads sent under `name`.
pub(crate) fn by_name(name: &str) -> Option<Entry> {
    REGISTRY.by_name(name)
}

/// Registers `T` so that a [`Msg`] holding one can cross the wire: the
/// explicit path for crates that `forbid(unsafe_code)` and so derive with
/// `#[message(manual)]` (the static registration is a `#[link_section]`
/// static, which that lint rejects). Call it before the node starts.
///
/// # Errors
///
/// [`DuplicateMessage`] when another type holds `T::NAME`, naming both
/// (this call's place for `T`). Registering a type twice, or one that its
/// derive registered already, is `Ok`.
///
/// # Examples
///
/// ```
/// use pycos::Message;
///
/// #[derive(serde::Serialize, serde::Deserialize, Message)]
/// #[message(manual, name = "docs::Ping")]
/// struct Ping(u32);
///
/// pycos::message::register::<Ping>()?;
/// pycos::message::register::<Ping>()?; // again: nothing changes
/// assert_eq!(pycos::message::wire_name(&pycos::Msg::new(Ping(1)))?, "docs::Ping");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[track_caller]
pub fn register<T: Message>() -> Result<(), DuplicateMessage> {
    let caller = std::panic::Location::caller();
    let place = Place::Source {
        file: caller.file(),
        line: caller.line(),
    };
    REGISTRY
        .register(Entry::new::<T>(T::NAME, place))
        .map_err(DuplicateMessage::new)
}

/// Checks the static registrations (the built-ins and every
/// `#[derive(Message)]` linked into the program) for two types under one
/// wire name. pycos-net calls it when a node starts.
///
/// # Errors
///
/// [`DuplicateMessage`] for the first duplicate name, naming both types
/// and their places.
pub fn check_registry() -> Result<(), DuplicateMessage> {
    REGISTRY.check().map_err(DuplicateMessage::new)
}
