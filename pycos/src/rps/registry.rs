//! The registry of remote task functions: one [`Entry`] per function,
//! found by name.
//!
//! Design note: the crate's two-table registry (`crate::registry`), as
//! the message registry uses it, found by name only. A static table built
//! once, on first use, from the entries linkme gathered into
//! [`REMOTE_FNS`] (no lock on lookup), and an explicit one behind an
//! `RwLock` for [`register_fn`], read only when the static one misses. A name belongs to one function: a second one is
//! refused by `register_fn` and, among the static entries (where the
//! first in link order keeps the name), reported by [`check_registry`].

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer};

use super::RemoteFn;
use super::error::DuplicateRemoteFn;
use crate::registry::{self, Key, Place, Registry, Statics};
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
    key: Key,
    signature: u64,
    signature_text: &'static str,
    make: Make,
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("name", &self.key.name)
            .field("signature", &self.signature_text)
            .field("place", &self.key.place)
            .finish()
    }
}

impl Entry {
    /// The entry of `F`, registered at `file:line`.
    pub const fn of<F: RemoteFn>(file: &'static str, line: u32) -> Entry {
        Entry {
            key: Key::of::<F>(F::NAME, Place::Source { file, line }),
            signature: F::SIGNATURE,
            signature_text: F::SIGNATURE_TEXT,
            make: make::<F>,
        }
    }

    /// The name peers create the function by.
    pub fn name(&self) -> &'static str {
        self.key.name
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
}

impl registry::Entry for Entry {
    fn key(&self) -> &Key {
        &self.key
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

static REGISTRY: Registry<Entry> = Registry::new(|| Statics::of(REMOTE_FNS.iter()));

/// The remote task function registered under `name`, if any.
pub fn entry(name: &str) -> Option<Entry> {
    REGISTRY.by_name(name)
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
    REGISTRY
        .register(Entry::of::<F>(caller.file(), caller.line()))
        .map_err(DuplicateRemoteFn::new)
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
    REGISTRY.check().map_err(DuplicateRemoteFn::new)
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
        let statics = Statics::of(entries.iter());
        let err = DuplicateRemoteFn::new(statics.duplicate.expect("a duplicate"));
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
            statics
                .table
                .by_name("tests::shared")
                .map(|e| e.signature_text()),
            Some("(u32) -> u32")
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
