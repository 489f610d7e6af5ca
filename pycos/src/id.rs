//! [`TaskId`] and [`ChannelId`]: the identities of tasks and channels, and
//! the interner that gives task names a `'static` home.
//!
//! # Ids
//!
//! An id is the node's *incarnation* (a `u64` chosen once, at start-up)
//! and a *serial* (a `u64` counted up from 1, never reused while the
//! process lives): 16 bytes, `Copy`, ordered by incarnation then serial.
//! pycos names tasks by CPython object ids, which are reused, and routes
//! results to the wrong job under load; these are not.
//!
//! A process that is not networked is one node with one incarnation, drawn
//! at random on first use from the standard library's per-process random
//! hash keys, mixed with the time and the process id. A restarted process
//! draws a new one, so an id kept by a peer across the restart never names
//! a task of the new process. Task and channel serials come from one
//! counter, so no two ids of a node share a serial.
//!
//! Ids print as pycos prints them: [`Display`](fmt::Display) writes the
//! serial alone (a task prints as `name/serial`), [`Debug`](fmt::Debug)
//! writes both parts, `TaskId(<incarnation in hex>:<serial>)`.
//!
//! A task's header keeps only its serial (the incarnation is the
//! process's), so ids cost a task nothing over the former `u64`.
//!
//! # Names
//!
//! Task names are `&'static str`: a task function's name is a literal, and
//! a name made at run time ([`TaskSpec::named`](crate::TaskSpec::named))
//! is interned ([`intern`]) — leaked once per distinct text and shared by
//! every later use. The set is bounded by the number of distinct names a
//! program gives its tasks, which is the number of its task functions plus
//! those it names at run time; do not make a fresh name per task. A
//! `'static` name keeps `Task::name()` as cheap as before (one pointer
//! copy under the task's lock, which a hot swap also takes to change it)
//! and lets it hand out a `&str` that outlives the lock. The public
//! accessors return `&str` tied to the handle, so a handle that holds its
//! own name (a remote task's, arriving at run time) can lend it too; names
//! from peers should be kept that way, not interned, since a peer could
//! send any number of them.

use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// Serials of tasks and channels: unique for the life of the process.
static NEXT_SERIAL: AtomicU64 = AtomicU64::new(1);

/// A fresh serial, never handed out before.
pub(crate) fn next_serial() -> u64 {
    NEXT_SERIAL.fetch_add(1, Ordering::Relaxed)
}

/// Whether `serial` has been handed out (by [`next_serial`]).
pub(crate) fn was_issued(serial: u64) -> bool {
    serial != 0 && serial < NEXT_SERIAL.load(Ordering::Relaxed)
}

/// This node's incarnation: chosen once, at random, on first use.
pub(crate) fn incarnation() -> u64 {
    static INCARNATION: OnceLock<u64> = OnceLock::new();
    *INCARNATION.get_or_init(|| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        std::time::SystemTime::now().hash(&mut hasher);
        std::time::Instant::now().hash(&mut hasher);
        std::process::id().hash(&mut hasher);
        hasher.finish()
    })
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name {
            incarnation: u64,
            serial: u64,
        }

        impl $name {
            /// The id of this node's serial `serial`.
            pub(crate) fn local(serial: u64) -> $name {
                $name {
                    incarnation: incarnation(),
                    serial,
                }
            }

            /// The id made of a node's `incarnation` and a `serial` of it
            /// (for the networking crate, which reads ids off the wire).
            #[doc(hidden)]
            pub const fn from_parts(incarnation: u64, serial: u64) -> $name {
                $name {
                    incarnation,
                    serial,
                }
            }

            /// The incarnation of the node that made the id.
            #[doc(hidden)]
            pub const fn incarnation(self) -> u64 {
                self.incarnation
            }

            /// The serial of the id within its node.
            #[doc(hidden)]
            pub const fn serial(self) -> u64 {
                self.serial
            }
        }

        /// The serial, as pycos prints ids (`name/serial` for a task).
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.serial, f)
            }
        }

        /// Both parts: `<type>(<incarnation in hex>:<serial>)`.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    concat!(stringify!($name), "({:016x}:{})"),
                    self.incarnation, self.serial
                )
            }
        }
    };
}

id_type! {
    /// A task's identity, from [`Task::id`](crate::Task::id): its node's
    /// incarnation and a serial, never reused while the node lives.
    ///
    /// Displayed as the serial (a task prints as `name/serial`, as in
    /// pycos); `{:?}` shows both parts, `TaskId(<incarnation in
    /// hex>:<serial>)`. Ids of one node are ordered by creation.
    ///
    /// # Examples
    ///
    /// ```
    /// use pycos::prelude::*;
    ///
    /// #[task]
    /// fn idle() {}
    ///
    /// let sched = Pycos::new();
    /// let (a, b) = (sched.spawn(idle()), sched.spawn(idle()));
    /// assert!(a.id() < b.id());
    /// assert_eq!(a.to_string(), format!("idle/{}", a.id()));
    /// assert!(format!("{:?}", a.id()).starts_with("TaskId("));
    /// sched.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    TaskId
}

id_type! {
    /// A channel's identity, from [`Channel::id`](crate::Channel::id): its
    /// node's incarnation and a serial, never reused while the node lives.
    /// Channels compare and hash by it.
    ///
    /// Displayed as the serial; `{:?}` shows both parts,
    /// `ChannelId(<incarnation in hex>:<serial>)`.
    ChannelId
}

impl ChannelId {
    /// A fresh id of this node (a task's is made of its header's serial).
    pub(crate) fn next() -> ChannelId {
        ChannelId::local(next_serial())
    }
}

/// `name` as a `&'static str`: leaked the first time a text is seen, the
/// same string every time after (see the module doc for the bound).
pub(crate) fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = crate::util::lock(NAMES.get_or_init(Mutex::default));
    if let Some(&known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.into());
    names.insert(leaked);
    leaked
}

/// How many distinct names of remote tasks are interned at most.
const MAX_REMOTE_NAMES: usize = 4096;

/// What a proxy is named once [`MAX_REMOTE_NAMES`] distinct remote names
/// were seen: a peer (even an authenticated one) cannot make this node
/// keep more. The proxy's full reference keeps the real name
/// (`Task::remote_ref`).
pub(crate) const OVERFLOW_NAME: &str = "<remote>";

/// `intern` for a name that came from a peer: the same, up to
/// [`MAX_REMOTE_NAMES`] distinct names, then [`OVERFLOW_NAME`] for new
/// ones. A cluster's tasks have the names of its task functions, far fewer.
pub(crate) fn intern_remote(name: &str) -> &'static str {
    static REMOTE: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = crate::util::lock(REMOTE.get_or_init(Mutex::default));
    if let Some(&known) = names.get(name) {
        return known;
    }
    if names.len() >= MAX_REMOTE_NAMES {
        return OVERFLOW_NAME;
    }
    let interned = intern(name);
    names.insert(interned);
    interned
}

#[cfg(test)]
mod tests {
    use super::{
        ChannelId, MAX_REMOTE_NAMES, OVERFLOW_NAME, TaskId, intern, intern_remote, next_serial,
    };

    #[test]
    fn remote_names_are_bounded() {
        for i in 0..MAX_REMOTE_NAMES + 10 {
            let _ = intern_remote(&format!("peer-made-{i}"));
        }
        assert_eq!(
            intern_remote("peer-made-0"),
            "peer-made-0",
            "known names stay"
        );
        assert_eq!(intern_remote("one too many"), OVERFLOW_NAME);
    }

    #[test]
    fn ids_are_sixteen_bytes() {
        assert_eq!(size_of::<TaskId>(), 16);
        assert_eq!(size_of::<ChannelId>(), 16);
        assert_eq!(size_of::<Option<TaskId>>(), 24);
    }

    #[test]
    fn ids_are_unique_and_ordered_within_a_node() {
        let ids: Vec<TaskId> = (0..1000).map(|_| TaskId::local(next_serial())).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(
            ids.iter()
                .all(|id| id.incarnation() == ids[0].incarnation())
        );
        let channel = ChannelId::next();
        assert!(channel.serial() > ids[999].serial(), "one counter for both");
    }

    #[test]
    fn display_is_the_serial_and_debug_both_parts() {
        let id = TaskId::from_parts(0xab, 42);
        assert_eq!(id.to_string(), "42");
        assert_eq!(format!("{id:?}"), "TaskId(00000000000000ab:42)");
        let id = ChannelId::from_parts(u64::MAX, 7);
        assert_eq!(id.to_string(), "7");
        assert_eq!(format!("{id:?}"), "ChannelId(ffffffffffffffff:7)");
    }

    #[test]
    fn parts_round_trip_and_order_by_incarnation_first() {
        let id = TaskId::from_parts(3, 9);
        assert_eq!((id.incarnation(), id.serial()), (3, 9));
        assert!(TaskId::from_parts(1, 100) < TaskId::from_parts(2, 1));
        assert_ne!(TaskId::from_parts(1, 5), TaskId::from_parts(2, 5));
    }

    #[test]
    fn interning_leaks_each_name_once() {
        let first = intern(&String::from("interned-name"));
        let again = intern(&format!("interned-{}", "name"));
        assert_eq!(first, "interned-name");
        assert!(std::ptr::eq(first, again));
    }
}
