//! The types that cross the wire without a derive: common std types and
//! the framework's own.
//!
//! Each has a stable wire name: the Rust spelling for std types (`"u8"`,
//! `"String"`, `"Vec<u8>"`, `"()"`), `pycos::…` for the framework's. The
//! pointer-sized integers travel as 64-bit ones (serde's own encoding)
//! and arrive as the type sent. A `&'static str` is encoded under
//! `"String"`, so a literal sent to a remote task arrives as a `String`:
//! nothing can be decoded as a borrowed `'static` string.

use super::Message;
use super::registry::Entry;
use crate::{Channel, ChannelId, MonitorStatus, Subscriber, Task, TaskError, TaskId};

/// Implements [`Message`] for each type under its name, and lists the
/// entries (`&'static str` last: encoded as `String`, never decoded).
macro_rules! builtins {
    ($($ty:ty => $name:literal,)*) => {
        $(
            impl Message for $ty {
                const NAME: &'static str = $name;
            }
        )*

        /// The built-in entries, registered before every derived one.
        pub(super) static ENTRIES: &[Entry] = &[
            $(Entry::builtin::<$ty>($name),)*
            Entry::encode_only::<&'static str>("String"),
        ];
    };
}

builtins! {
    i8 => "i8",
    i16 => "i16",
    i32 => "i32",
    i64 => "i64",
    i128 => "i128",
    isize => "isize",
    u8 => "u8",
    u16 => "u16",
    u32 => "u32",
    u64 => "u64",
    u128 => "u128",
    usize => "usize",
    f32 => "f32",
    f64 => "f64",
    bool => "bool",
    char => "char",
    () => "()",
    String => "String",
    Option<String> => "Option<String>",
    Vec<u8> => "Vec<u8>",
    Vec<String> => "Vec<String>",
    Task => "pycos::Task",
    Channel => "pycos::Channel",
    Subscriber => "pycos::Subscriber",
    MonitorStatus => "pycos::MonitorStatus",
    TaskError => "pycos::TaskError",
    TaskId => "pycos::TaskId",
    ChannelId => "pycos::ChannelId",
}
