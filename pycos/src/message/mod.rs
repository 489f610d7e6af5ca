//! Messages that can cross the wire: [`Message`], its derive, and the
//! registry that lets a dynamic [`Msg`] be encoded and decoded.
//!
//! A [`Msg`] holds any `Send + Sync` value; to send one to a task on
//! another node, its payload type must be *registered*: it has a stable
//! wire name and serde impls. `#[derive(Message)]` (beside serde's
//! derives) does both. Its name is `crate_name::TypeName` by default —
//! never the module path, which moves in refactors — or the one given with
//! `#[message(name = "...")]`.
//!
//! `Msg` then implements serde's `Serialize` and `Deserialize` as a pair
//! (wire name, payload), and any serde format carries it; the networking
//! crate picks one. The receiver gets exactly the type sent: a `u16`
//! stays a `u16`. One exception: a `&'static str` is encoded as a
//! `String` and arrives as one, since nothing can be decoded as a
//! borrowed `'static` string.
//!
//! - [`registry`](register): where entries live, [`register`] and
//!   [`check_registry`];
//! - built-ins: integers, floats, `bool`, `char`, `()`, `String`,
//!   `Option<String>`, `Vec<u8>`, `Vec<String>`, and [`Task`](crate::Task),
//!   [`Channel`](crate::Channel), [`Subscriber`](crate::Subscriber),
//!   [`MonitorStatus`](crate::MonitorStatus),
//!   [`TaskError`](crate::TaskError), [`TaskId`](crate::TaskId),
//!   [`ChannelId`](crate::ChannelId) (names `"u8"`, `"String"`, `"()"`,
//!   `"pycos::Task"`, …);
//! - handles cross as references and need a [`WireContext`] to be decoded
//!   (the networking crate sets it with [`with_wire_context`]); a handle
//!   that comes back home is the local task or channel again.
//!
//! # Registration
//!
//! The derive registers the type statically, with a `linkme` distributed
//! slice: nothing to call at start-up. linkme emits `#[link_section]`
//! statics, which `#![forbid(unsafe_code)]` rejects; such a crate derives
//! with `#[message(manual)]` and calls [`register::<T>()`](register)
//! before its node starts. Two types under one name are an error, never a
//! silent overwrite: [`register`] refuses the second, and
//! [`check_registry`] (called when a node starts) reports a duplicate
//! among the static registrations.
//!
//! # Examples
//!
//! ```
//! use pycos::{Message, Msg};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Message)]
//! struct Order {
//!     item: String,
//!     count: u32,
//! }
//!
//! // The default wire name: the crate's name and the type's.
//! assert!(Order::NAME.ends_with("::Order"));
//!
//! let msg = Msg::new(Order { item: "tea".into(), count: 2 });
//! assert_eq!(pycos::message::wire_name(&msg)?, Order::NAME);
//! let bytes = postcard::to_allocvec(&msg)?;
//! let back: Msg = postcard::from_bytes(&bytes)?;
//! assert_eq!(back.downcast_ref::<Order>(), msg.downcast_ref::<Order>());
//!
//! // A literal arrives as a `String`; other built-ins as the type sent.
//! let back: Msg = postcard::from_bytes(&postcard::to_allocvec(&Msg::new("hi"))?)?;
//! assert_eq!(back.downcast_ref::<String>().map(String::as_str), Some("hi"));
//! let back: Msg = postcard::from_bytes(&postcard::to_allocvec(&Msg::new(7_u16))?)?;
//! assert_eq!(back.downcast_ref::<u16>(), Some(&7));
//!
//! // A type nobody registered cannot be encoded; the error names it.
//! struct Local;
//! let err = postcard::to_allocvec(&Msg::new(Local)).unwrap_err();
//! assert!(pycos::message::wire_name(&Msg::new(Local)).is_err());
//! # let _ = err;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod builtin;
mod context;
pub(crate) mod error;
mod handles;
mod msg_serde;
mod registry;

pub use context::{WireContext, with_wire_context};
pub use error::{DuplicateMessage, NotSerializable};
#[doc(hidden)]
pub use registry::{Entry, MESSAGES};
pub use registry::{check_registry, register};

use crate::Msg;

/// A type whose values can cross the wire inside a [`Msg`]: serde impls
/// and a stable wire name. Derive it (`#[derive(Message)]`, see the
/// [module docs](self)) rather than implementing it: the derive also
/// registers the type.
pub trait Message:
    serde::Serialize + serde::de::DeserializeOwned + std::any::Any + Send + Sync
{
    /// Stable wire name, e.g. `"my_crate::Order"`.
    const NAME: &'static str;
}

/// The wire name under which this message's payload type is registered.
///
/// # Errors
///
/// [`NotSerializable`], naming the payload's type, when it is not
/// registered.
///
/// # Examples
///
/// ```
/// use pycos::Msg;
/// use pycos::message::wire_name;
///
/// assert_eq!(wire_name(&Msg::new(5_u8))?, "u8");
/// assert_eq!(wire_name(&Msg::new("text"))?, "String");
/// struct Mine;
/// let err = wire_name(&Msg::new(Mine)).unwrap_err();
/// assert!(err.type_name().ends_with("Mine"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn wire_name(msg: &Msg) -> Result<&'static str, NotSerializable> {
    registry::by_type(msg.payload_type_id())
        .map(|entry| entry.name())
        .ok_or_else(|| NotSerializable::new(msg.type_name()))
}
