//! The registry of wire types: one [`Entry`] per message type, found by
//! `TypeId` to encode and by wire name to decode.
//!
//! Design note. Two tables. The *static* one is built once, on first use,
//! from the built-ins and the `#[derive(Message)]` entries that linkme
//! gathered into [`MESSAGES`] at link time; it never changes after, so a
//! lookup there takes no lock. The *explicit* one holds what
//! [`register`] added at run time, behind an `RwLock` that is read only
//! when the static table misses. A wire name belongs to one type: a second
//! type under a taken name is refused by `register` and, among the static
//! entries (where the first one in link order keeps the name), reported by
//! [`check_registry`], which pycos-net calls when a node starts, so a
//! duplicate is a start-up error and never a silent overwrite.
//!
//! Entries are `Copy` (a few pointers): a lookup copies its entry out and
//! releases the lock before any payload is serialized, so a message inside
//! a message never takes the lock twice.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Message;
use super::error::{DuplicateMessage, Origin, Place};
use crate::Msg;

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
    pub(crate) name: &'static str,
    type_name: fn() -> &'static str,
    type_id: fn() -> TypeId,
    place: Place,
    pub(crate) encode: Encode,
    /// `None` for a type that is encoded under another type's name and so
    /// never decoded as itself (`&'static str`, which arrives as `String`).
    pub(crate) decode: Option<Decode>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.name)
            .field("type", &(self.type_name)())
            .field("place", &self.place)
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
            name,
            type_name: std::any::type_name::<T>,
            type_id: TypeId::of::<T>,
            place: Place::BuiltIn,
            encode: encode::<T>,
            decode: None,
        }
    }

    const fn new<T>(name: &'static str, place: Place) -> Entry
    where
        T: Serialize + DeserializeOwned + Any + Send + Sync,
    {
        Entry {
            name,
            type_name: std::any::type_name::<T>,
            type_id: TypeId::of::<T>,
            place,
            encode: encode::<T>,
            decode: Some(decode::<T>),
        }
    }

    fn origin(&self) -> Origin {
        Origin {
            type_name: (self.type_name)(),
            place: self.place,
        }
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

/// Entries by type (to encode) and by wire name (to decode).
#[derive(Default)]
struct Table {
    by_type: HashMap<TypeId, Entry>,
    by_name: HashMap<&'static str, Entry>,
}

impl Table {
    /// Adds `entry`: idempotent for its type; a name taken by another type
    /// is refused, naming both.
    fn insert(&mut self, entry: Entry) -> Result<(), DuplicateMessage> {
        let type_id = (entry.type_id)();
        if self.by_type.contains_key(&type_id) {
            return Ok(());
        }
        if entry.decode.is_some() {
            if let Some(taken) = self.by_name.get(entry.name) {
                return Err(duplicate(taken, &entry));
            }
            self.by_name.insert(entry.name, entry);
        }
        self.by_type.insert(type_id, entry);
        Ok(())
    }
}

fn duplicate(first: &Entry, second: &Entry) -> DuplicateMessage {
    DuplicateMessage::new(first.name, first.origin(), second.origin())
}

/// The static table and the first duplicate found while building it.
struct Statics {
    table: Table,
    duplicate: Option<DuplicateMessage>,
}

static STATICS: LazyLock<Statics> = LazyLock::new(|| {
    let mut table = Table::default();
    let mut duplicate = None;
    let entries = super::builtin::ENTRIES.iter().chain(MESSAGES.iter());
    for entry in entries {
        if let Err(err) = table.insert(*entry) {
            duplicate.get_or_insert(err);
        }
    }
    Statics { table, duplicate }
});

static EXPLICIT: LazyLock<RwLock<Table>> = LazyLock::new(RwLock::default);

/// The entry that encodes payloads of type `type_id`.
pub(crate) fn by_type(type_id: TypeId) -> Option<Entry> {
    if let Some(entry) = STATICS.table.by_type.get(&type_id) {
        return Some(*entry);
    }
    let explicit = EXPLICIT
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    explicit.by_type.get(&type_id).copied()
}

/// The entry that decodes payloads sent under `name`.
pub(crate) fn by_name(name: &str) -> Option<Entry> {
    if let Some(entry) = STATICS.table.by_name.get(name) {
        return Some(*entry);
    }
    let explicit = EXPLICIT
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    explicit.by_name.get(name).copied()
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
    let entry = Entry::new::<T>(T::NAME, place);
    let statics = &STATICS.table;
    if statics.by_type.contains_key(&TypeId::of::<T>()) {
        return Ok(());
    }
    if let Some(taken) = statics.by_name.get(T::NAME) {
        return Err(duplicate(taken, &entry));
    }
    let mut explicit = EXPLICIT
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    explicit.insert(entry)
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
    match &STATICS.duplicate {
        Some(err) => Err(err.clone()),
        None => Ok(()),
    }
}
