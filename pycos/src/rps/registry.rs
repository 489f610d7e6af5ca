//! The registry of remote task functions: one [`Entry`] per function,
//! found by name.
//!
//! Design note: the message registry's (see `crate::message`), cut down to
//! one key. A static table built once, on first use, from the entries
//! linkme gathered into [`REMOTE_FNS`] (no lock on lookup), and an
//! explicit one behind an `RwLock` for [`register_fn`], read only when the
//! static one misses. A name belongs to one function: a second one is
//! refused by `register_fn` and, among the static entries (where the
//! first in link order keeps the name), reported by [`check_registry`].

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt;
use std::sync::{LazyLock, RwLock};

use serde::de::{self, DeserializeSeed, Deserializer};

use super::RemoteFn;
use super::error::DuplicateRemoteFn;
use crate::message::error::{Origin, Place};
use crate::{Msg, TaskSpec};

/// Decodes the argument tuple and builds the (untyped) spec.
type Make = for<'de> fn(
    &mut dyn erased_serde::Deserializer<'de>,
) -> Result<TaskSpec<Msg>, erased_serde::Error>;

/// How one remote task function is created from serialized arguments.
/// Made by `#[task(remote)]` (through [`Entry::of`]) and [`register_fn`];
/// found with [`entry`].
#[derive(Clone, Copy)]
pub struct Entry {
    name: &'static str,
    signature: u64,
    signature_text: &'static str,
    type_name: fn() -> &'static str,
    type_id: fn() -> TypeId,
    place: Place,
    make: Make,
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.name)
            .field("signature", &self.signature_text)
            .field("place", &self.place)
            .finish()
    }
}

impl Entry {
    /// The entry of `F`, registered at `file:line`.
    pub const fn of<F: RemoteFn>(file: &'static str, line: u32) -> Entry {
        Entry {
            name: F::NAME,
            signature: F::SIGNATURE,
            signature_text: F::SIGNATURE_TEXT,
            type_name: std::any::type_name::<F>,
            type_id: TypeId::of::<F>,
            place: Place::Source { file, line },
            make: make::<F>,
        }
    }

    /// The name peers create the function by.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The hash of the argument and result types ([`RemoteFn::SIGNATURE`]).
    pub fn signature(&self) -> u64 {
        self.signature
    }

    /// The argument and result types as written (`"(u64) -> u64"`).
    pub fn signature_text(&self) -> &'static str {
        self.signature_text
    }

    /// A serde seed that decodes the function's argument tuple from any
    /// `Deserializer` and gives the spec of that call (its value a
    /// [`Msg`] holding the function's result).
    pub fn seed(&self) -> ArgsSeed {
        ArgsSeed(*self)
    }

    fn origin(&self) -> Origin {
        Origin {
            type_name: (self.type_name)(),
            place: self.place,
        }
    }
}

fn make<F: RemoteFn>(
    de: &mut dyn erased_serde::Deserializer<'_>,
) -> Result<TaskSpec<Msg>, erased_serde::Error> {
    let args = erased_serde::deserialize::<F::Args>(de)?;
    Ok(TaskSpec::from_erased(F::spec(args).erased))
}

/// Decodes a remote function's arguments into the spec of a call (see
/// [`Entry::seed`]).
#[derive(Debug, Clone, Copy)]
pub struct ArgsSeed(Entry);

impl<'de> DeserializeSeed<'de> for ArgsSeed {
    type Value = TaskSpec<Msg>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<TaskSpec<Msg>, D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        (self.0.make)(&mut erased).map_err(de::Error::custom)
    }
}

/// The entries `#[task(remote)]` adds at link time.
#[doc(hidden)]
#[linkme::distributed_slice]
pub static REMOTE_FNS: [Entry];

#[derive(Default)]
struct Table {
    by_name: HashMap<&'static str, Entry>,
}

impl Table {
    /// Adds `entry`: idempotent for its function; a name taken by another
    /// function is refused, naming both.
    fn insert(&mut self, entry: Entry) -> Result<(), DuplicateRemoteFn> {
        match self.by_name.get(entry.name) {
            Some(taken) if (taken.type_id)() == (entry.type_id)() => Ok(()),
            Some(taken) => Err(duplicate(taken, &entry)),
            None => {
                self.by_name.insert(entry.name, entry);
                Ok(())
            }
        }
    }
}

fn duplicate(first: &Entry, second: &Entry) -> DuplicateRemoteFn {
    DuplicateRemoteFn::new(first.name, first.origin(), second.origin())
}

struct Statics {
    table: Table,
    duplicate: Option<DuplicateRemoteFn>,
}

static STATICS: LazyLock<Statics> = LazyLock::new(|| statics(REMOTE_FNS.iter()));

fn statics<'a>(entries: impl Iterator<Item = &'a Entry>) -> Statics {
    let mut table = Table::default();
    let mut duplicate = None;
    for entry in entries {
        if let Err(err) = table.insert(*entry) {
            duplicate.get_or_insert(err);
        }
    }
    Statics { table, duplicate }
}

static EXPLICIT: LazyLock<RwLock<Table>> = LazyLock::new(RwLock::default);

/// The remote task function registered under `name`, if any.
pub fn entry(name: &str) -> Option<Entry> {
    if let Some(entry) = STATICS.table.by_name.get(name) {
        return Some(*entry);
    }
    let explicit = EXPLICIT
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    explicit.by_name.get(name).copied()
}

/// Registers the remote task function `F`: the explicit path for crates
/// that `forbid(unsafe_code)` and so write `#[task(remote, manual)]`.
/// Call it before the node starts.
///
/// # Errors
///
/// [`DuplicateRemoteFn`] when another function holds `F::NAME`, naming
/// both (this call's place for `F`). Registering a function twice, or one
/// registered statically already, is `Ok`.
///
/// # Examples
///
/// ```
/// use pycos::prelude::*;
///
/// #[task(remote, manual, name = "docs::triple")]
/// fn triple(n: u32) -> u32 {
///     n * 3
/// }
///
/// assert!(pycos::rps::entry("docs::triple").is_none());
/// pycos::rps::register_fn::<triple>()?;
/// pycos::rps::register_fn::<triple>()?; // again: nothing changes
/// assert_eq!(pycos::rps::entry("docs::triple").map(|e| e.name()), Some("docs::triple"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[track_caller]
pub fn register_fn<F: RemoteFn>() -> Result<(), DuplicateRemoteFn> {
    let caller = std::panic::Location::caller();
    let entry = Entry::of::<F>(caller.file(), caller.line());
    if let Some(taken) = STATICS.table.by_name.get(F::NAME) {
        return if (taken.type_id)() == TypeId::of::<F>() {
            Ok(())
        } else {
            Err(duplicate(taken, &entry))
        };
    }
    let mut explicit = EXPLICIT
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    explicit.insert(entry)
}

/// Checks the static registrations (every `#[task(remote)]` linked into
/// the program) for two functions under one name. pycos-net calls it when
/// a node starts.
///
/// # Errors
///
/// [`DuplicateRemoteFn`] for the first duplicate name, naming both
/// functions and their places.
pub fn check_registry() -> Result<(), DuplicateRemoteFn> {
    match &STATICS.duplicate {
        Some(err) => Err(err.clone()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TaskCtx;

    struct First;
    struct Second;

    impl RemoteFn for First {
        type Args = (u32,);
        type Output = u32;
        const NAME: &'static str = "tests::shared";
        const SIGNATURE_TEXT: &'static str = "(u32) -> u32";
        const SIGNATURE: u64 = super::super::signature_hash(Self::SIGNATURE_TEXT);
        fn spec((n,): (u32,)) -> TaskSpec<u32> {
            TaskSpec::new("first", n, |n, _task: TaskCtx| async move { n })
        }
    }

    impl RemoteFn for Second {
        type Args = ();
        type Output = ();
        const NAME: &'static str = "tests::shared";
        const SIGNATURE_TEXT: &'static str = "() -> ()";
        const SIGNATURE: u64 = super::super::signature_hash(Self::SIGNATURE_TEXT);
        fn spec((): ()) -> TaskSpec<()> {
            TaskSpec::new("second", (), |(), _task: TaskCtx| async {})
        }
    }

    #[test]
    fn a_duplicate_among_statics_names_both() {
        let entries = [
            Entry::of::<First>("a.rs", 1),
            Entry::of::<First>("a.rs", 1),
            Entry::of::<Second>("b.rs", 2),
        ];
        let statics = statics(entries.iter());
        let err = statics.duplicate.expect("a duplicate");
        assert_eq!(err.name(), "tests::shared");
        let [first, second] = err.type_names();
        assert!(
            first.ends_with("First") && second.ends_with("Second"),
            "{err}"
        );
        let text = err.to_string();
        assert!(text.contains("a.rs:1") && text.contains("b.rs:2"), "{text}");
        assert!(text.contains("#[task(remote, name"), "{text}");
        assert_eq!(
            statics.table.by_name["tests::shared"].signature_text(),
            "(u32) -> u32"
        );
    }

    #[test]
    fn explicit_registration_refuses_a_taken_name() {
        register_fn::<First>().expect("first registration");
        register_fn::<First>().expect("the same function again");
        let err = register_fn::<Second>().expect_err("another function, same name");
        assert!(err.to_string().contains("tests::shared"), "{err}");
        let found = entry("tests::shared").expect("registered");
        assert_eq!(found.signature(), First::SIGNATURE);
        assert!(entry("tests::absent").is_none());
    }
}
