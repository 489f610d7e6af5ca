//! [`Table`]: entries by type and by name, and the one rule for adding
//! one; [`Statics`]: a table built from a list, with its first duplicate.

use std::any::TypeId;
use std::collections::HashMap;

use super::{Duplicate, Origin, Place};

/// What a registry holds: a `Copy` entry (a few pointers) with its
/// [`Key`].
pub(crate) trait Entry: Copy + Send + Sync + 'static {
    /// The entry's name, type and place.
    fn key(&self) -> &Key;

    /// Whether the entry holds its name. `false` for a type found by type
    /// only, that borrows another type's name (a message type encoded
    /// under another type's name, and decoded as that one).
    fn holds_name(&self) -> bool {
        true
    }
}

/// What a registry knows an entry by: the name peers use, the type it
/// stands for, and where it was registered.
#[derive(Clone, Copy)]
pub(crate) struct Key {
    pub(crate) name: &'static str,
    type_name: fn() -> &'static str,
    type_id: fn() -> TypeId,
    pub(crate) place: Place,
}

impl Key {
    /// The key of type `T` under `name`, registered at `place`.
    pub(crate) const fn of<T: 'static>(name: &'static str, place: Place) -> Key {
        Key {
            name,
            type_name: std::any::type_name::<T>,
            type_id: TypeId::of::<T>,
            place,
        }
    }

    /// The Rust name of the entry's type.
    pub(crate) fn type_name(&self) -> &'static str {
        (self.type_name)()
    }

    /// The `TypeId` of the entry's type.
    fn type_id(&self) -> TypeId {
        (self.type_id)()
    }

    /// The type's name and the entry's place, as a duplicate names them.
    fn origin(&self) -> Origin {
        Origin {
            type_name: self.type_name(),
            place: self.place,
        }
    }
}

/// Entries by type and by name.
pub(crate) struct Table<E> {
    by_type: HashMap<TypeId, E>,
    by_name: HashMap<&'static str, E>,
}

impl<E> Default for Table<E> {
    fn default() -> Table<E> {
        Table {
            by_type: HashMap::new(),
            by_name: HashMap::new(),
        }
    }
}

impl<E: Entry> Table<E> {
    /// The entry of type `type_id`.
    #[inline]
    pub(crate) fn by_type(&self, type_id: TypeId) -> Option<E> {
        self.by_type.get(&type_id).copied()
    }

    /// The entry that holds `name`.
    #[inline]
    pub(crate) fn by_name(&self, name: &str) -> Option<E> {
        self.by_name.get(name).copied()
    }

    /// Whether `entry` would be added: `Ok(false)` when its type is here
    /// already, `Ok(true)` when it is new, and the [`Duplicate`] when
    /// another type holds its name (this table's entry first).
    pub(crate) fn admits(&self, entry: &E) -> Result<bool, Duplicate> {
        let key = entry.key();
        if self.by_type.contains_key(&key.type_id()) {
            return Ok(false);
        }
        if entry.holds_name()
            && let Some(taken) = self.by_name.get(key.name)
        {
            return Err(Duplicate::new(key.name, taken.key().origin(), key.origin()));
        }
        Ok(true)
    }

    /// Adds `entry` if [`admits`](Self::admits) says so: idempotent for
    /// its type, refused for a name another type holds.
    pub(crate) fn insert(&mut self, entry: E) -> Result<(), Duplicate> {
        if self.admits(&entry)? {
            let key = entry.key();
            if entry.holds_name() {
                self.by_name.insert(key.name, entry);
            }
            self.by_type.insert(key.type_id(), entry);
        }
        Ok(())
    }
}

/// A static table and the first duplicate found while building it.
pub(crate) struct Statics<E> {
    pub(crate) table: Table<E>,
    pub(crate) duplicate: Option<Duplicate>,
}

impl<E: Entry> Statics<E> {
    /// The table of `entries`, in order: the first to claim a name keeps
    /// it; the first refused one is remembered.
    pub(crate) fn of<'a>(entries: impl IntoIterator<Item = &'a E>) -> Statics<E> {
        let mut table = Table::default();
        let mut duplicate = None;
        for entry in entries {
            if let Err(err) = table.insert(*entry) {
                duplicate.get_or_insert(err);
            }
        }
        Statics { table, duplicate }
    }
}
