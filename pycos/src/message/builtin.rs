//! The types that cross the wire without a derive: common std types and
//! the framework's own.
//!
//! Each has a stable wire name: the Rust spelling for std types (`"u8"`,
//! `"String"`, `"Vec<u8>"`, `"()"`), `pycos::…` for the framework's. The
//! pointer-sized integers travel as 64-bit ones (serde's own encoding)
//! and arrive as the type sent. A `&'static str` is encoded under
//! `"String"`, so a literal sent to a remote task arrives as a `String`:
//! nothing can be decoded as a borrowed `'static` string.

use super::registry::Entry;
use crate::{Channel, ChannelId, MonitorStatus, Subscriber, Task, TaskError, TaskId};

/// The built-in entries, registered before every derived one.
pub(super) static ENTRIES: &[Entry] = &[
    Entry::builtin::<i8>("i8"),
    Entry::builtin::<i16>("i16"),
    Entry::builtin::<i32>("i32"),
    Entry::builtin::<i64>("i64"),
    Entry::builtin::<i128>("i128"),
    Entry::builtin::<isize>("isize"),
    Entry::builtin::<u8>("u8"),
    Entry::builtin::<u16>("u16"),
    Entry::builtin::<u32>("u32"),
    Entry::builtin::<u64>("u64"),
    Entry::builtin::<u128>("u128"),
    Entry::builtin::<usize>("usize"),
    Entry::builtin::<f32>("f32"),
    Entry::builtin::<f64>("f64"),
    Entry::builtin::<bool>("bool"),
    Entry::builtin::<char>("char"),
    Entry::builtin::<()>("()"),
    Entry::builtin::<String>("String"),
    Entry::encode_only::<&'static str>("String"),
    Entry::builtin::<Option<String>>("Option<String>"),
    Entry::builtin::<Vec<u8>>("Vec<u8>"),
    Entry::builtin::<Vec<String>>("Vec<String>"),
    Entry::builtin::<Task>("pycos::Task"),
    Entry::builtin::<Channel>("pycos::Channel"),
    Entry::builtin::<Subscriber>("pycos::Subscriber"),
    Entry::builtin::<MonitorStatus>("pycos::MonitorStatus"),
    Entry::builtin::<TaskError>("pycos::TaskError"),
    Entry::builtin::<TaskId>("pycos::TaskId"),
    Entry::builtin::<ChannelId>("pycos::ChannelId"),
];
