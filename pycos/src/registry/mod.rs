//! The mechanism both wire registries share: the message registry
//! (`crate::message`, wire types by `TypeId` and by name) and the remote
//! function registry (`crate::rps`, task functions by name). Not the
//! scheduler's names, which are `runtime::registry`.
//!
//! Design note. A [`Registry`] is two [`Table`]s of `Copy` entries (a few
//! pointers each; see [`Entry`] and its [`Key`]):
//!
//! - the *static* one is built once, on first use, from the entries linkme
//!   gathered into a distributed slice at link time (and, for messages,
//!   the built-ins before them). It never changes after, so a lookup there
//!   takes no lock, and it remembers the first duplicate found while
//!   building it ([`Registry::check`]; pycos-net calls the public
//!   `check_registry`s when a node starts, so a duplicate is a start-up
//!   error and never a silent overwrite);
//! - the *explicit* one holds what `register` added at run time (the path
//!   for crates that `forbid(unsafe_code)`: linkme's `#[link_section]`
//!   statics count as unsafe code), behind an `RwLock` that is read only
//!   when the static table misses.
//!
//! One rule for adding an entry, in either table ([`Table::insert`]): a
//! type already present is `Ok` and changes nothing (registering twice is
//! idempotent); a name held by another type is refused with a
//! [`Duplicate`] naming both types and their [`Place`]s; among the static
//! entries the first in link order keeps the name. A lookup copies its
//! entry out and releases the lock before the caller uses it, so a message
//! inside a message never takes the lock twice.

mod error;
mod table;

use std::any::TypeId;
use std::sync::{LazyLock, RwLock};

pub(crate) use error::{Duplicate, Origin, Place, Wording};
pub(crate) use table::{Entry, Key, Statics, Table};

use crate::util::unpoison;

/// A static table and an explicit one (see the module doc).
pub(crate) struct Registry<E: 'static> {
    statics: LazyLock<Statics<E>>,
    explicit: LazyLock<RwLock<Table<E>>>,
}

impl<E: Entry> Registry<E> {
    /// A registry whose static table `statics` builds on first use.
    pub(crate) const fn new(statics: fn() -> Statics<E>) -> Registry<E> {
        Registry {
            statics: LazyLock::new(statics),
            explicit: LazyLock::new(RwLock::default),
        }
    }

    /// The entry of type `type_id`: the static table first, the explicit
    /// one (under its read lock) only on a miss. Message encoding calls
    /// this on every send.
    #[inline]
    pub(crate) fn by_type(&self, type_id: TypeId) -> Option<E> {
        if let Some(entry) = self.statics.table.by_type(type_id) {
            return Some(entry);
        }
        unpoison(self.explicit.read()).by_type(type_id)
    }

    /// The entry registered under `name`, in the same order as
    /// [`by_type`](Self::by_type).
    #[inline]
    pub(crate) fn by_name(&self, name: &str) -> Option<E> {
        if let Some(entry) = self.statics.table.by_name(name) {
            return Some(entry);
        }
        unpoison(self.explicit.read()).by_name(name)
    }

    /// Adds `entry` to the explicit table, by the rule of the module doc
    /// applied to both tables: `Ok` when its type is in either already.
    pub(crate) fn register(&self, entry: E) -> Result<(), Duplicate> {
        if self.statics.table.admits(&entry)? {
            unpoison(self.explicit.write()).insert(entry)?;
        }
        Ok(())
    }

    /// The first duplicate among the static entries, if any.
    pub(crate) fn check(&self) -> Result<(), Duplicate> {
        match self.statics.duplicate {
            Some(duplicate) => Err(duplicate),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
