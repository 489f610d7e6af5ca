//! Remote task functions: task functions that another node can create by
//! name from serialized arguments (pycos' RPS, "Remote Pico Service").
//!
//! `#[task(remote)]` on a task function keeps it an ordinary `#[task]`
//! (calling it gives a [`TaskSpec`]) and adds, next to it:
//!
//! - a type with the function's name (a braced struct, in the type
//!   namespace, so it coexists with the function) implementing
//!   [`RemoteFn`]: its stable [`NAME`](RemoteFn::NAME), its argument tuple
//!   and result types, and a [`SIGNATURE`](RemoteFn::SIGNATURE) hash of
//!   them. A client names this type to get a typed proxy (pycos-net's
//!   `Rps::<compute>`), so a call is checked at compile time against the
//!   function's own argument types;
//! - a registration in this module's registry: an [`Entry`] that builds
//!   the task's spec from serialized arguments, found by name with
//!   [`entry`].
//!
//! The name is `crate_name::fn_name` by default (never the module path,
//! which moves in refactors), or the one given with
//! `#[task(remote, name = "...")]`. Arguments must be serde-serializable
//! both ways and the result a [`Message`] (a derived type
//! or a built-in such as `u64` or `String`) that is `Clone`; generic
//! functions are refused. Each of these is a compile error that names the
//! fix.
//!
//! The registry is codec-agnostic, as the message registry is: an entry
//! decodes the argument tuple from any serde `Deserializer` (through
//! erased-serde, see [`Entry::seed`]); the networking crate picks the
//! codec.
//!
//! # Registration
//!
//! As for `#[derive(Message)]`: static, with a `linkme` distributed slice,
//! nothing to call at start-up. A crate that `forbid(unsafe_code)`s (the
//! static is a `#[link_section]` item, which that lint counts) writes
//! `#[task(remote, manual)]` and calls [`register_fn::<f>()`](register_fn)
//! instead. Two functions under one name are an error, never a silent
//! overwrite: [`register_fn`] refuses the second, and [`check_registry`]
//! (called when a node starts) reports a duplicate among the static
//! registrations.
//!
//! # Examples
//!
//! ```
//! use pycos::prelude::*;
//! use pycos::rps::RemoteFn;
//!
//! /// Squares `n` after `delay` seconds.
//! #[task(remote)]
//! fn square(n: u64, delay: f64, task: TaskCtx) -> u64 {
//!     task.sleep(delay).await;
//!     n * n
//! }
//!
//! // Still an ordinary task function.
//! let sched = Pycos::new();
//! assert_eq!(sched.spawn(square(7, 0.0)).value()?, 49);
//!
//! // The type of the same name describes it for remote callers.
//! assert!(square::NAME.ends_with("::square"));
//! assert_eq!(square::SIGNATURE_TEXT, "(u64, f64) -> u64");
//! assert_eq!(square::SIGNATURE, pycos::rps::signature_hash("(u64, f64) -> u64"));
//! let spec: TaskSpec<u64> = square::spec((8, 0.0));
//! assert_eq!(sched.spawn(spec).value()?, 64);
//!
//! // And it is registered: a spec from serialized arguments (any serde
//! // format; pycos-net uses postcard).
//! let entry = pycos::rps::entry(square::NAME).expect("registered");
//! assert_eq!(entry.signature(), square::SIGNATURE);
//! let bytes = postcard::to_allocvec(&(9_u64, 0.0_f64))?;
//! let mut de = postcard::Deserializer::from_bytes(&bytes);
//! let spec = serde::de::DeserializeSeed::deserialize(entry.seed(), &mut de)?;
//! assert_eq!(sched.spawn(spec).value()?.downcast_ref::<u64>(), Some(&81));
//! sched.finish()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod registry;

pub use error::DuplicateRemoteFn;
#[doc(hidden)]
pub use registry::REMOTE_FNS;
pub use registry::{ArgsSeed, Entry, check_registry, entry, register_fn};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Message, TaskSpec};

/// A task function that peers can create by name: what `#[task(remote)]`
/// implements on the type named after the function. Do not implement it
/// by hand except to describe a function of another program (the name,
/// signature and types must then match that program's).
pub trait RemoteFn: 'static {
    /// The function's arguments as a tuple, the injected `task` left out:
    /// `(u64, String)` for `fn f(n: u64, s: String, task: TaskCtx)`, `()`
    /// for none, `(u64,)` for one.
    type Args: Serialize + DeserializeOwned + Send + 'static;
    /// The task's value: what `finish` of a remote task gives.
    type Output: Message + Clone;
    /// The stable name peers create it by (`crate_name::fn_name` by
    /// default).
    const NAME: &'static str;
    /// The argument and result types as written in the source:
    /// `"(u64, String) -> u64"`.
    const SIGNATURE_TEXT: &'static str;
    /// [`signature_hash`] of [`SIGNATURE_TEXT`](Self::SIGNATURE_TEXT): a
    /// client built from the same source has the same one.
    const SIGNATURE: u64;

    /// The spec of a call with `args`, as calling the function gives.
    fn spec(args: Self::Args) -> TaskSpec<Self::Output>;
}

/// One call of a remote task function, as its spec carries it
/// ([`TaskSpec::remote`]): enough for a peer to create the same task.
#[derive(Clone, Copy)]
pub struct RemoteCall<'a> {
    name: &'static str,
    signature: u64,
    signature_text: &'static str,
    args: &'a dyn erased_serde::Serialize,
}

impl<'a> RemoteCall<'a> {
    /// The function's [`RemoteFn::NAME`].
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The function's [`RemoteFn::SIGNATURE`].
    pub fn signature(&self) -> u64 {
        self.signature
    }

    /// The function's [`RemoteFn::SIGNATURE_TEXT`].
    pub fn signature_text(&self) -> &'static str {
        self.signature_text
    }

    /// The argument tuple, serializable with any serde format (the peer
    /// decodes it with the [`Entry`] of the same name).
    pub fn args(&self) -> &'a dyn erased_serde::Serialize {
        self.args
    }
}

impl std::fmt::Debug for RemoteCall<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteCall")
            .field("name", &self.name)
            .field("signature", &self.signature_text)
            .finish_non_exhaustive()
    }
}

/// How a spec describes itself as a remote call: one function pointer, so
/// a spec of an ordinary task pays only a null word.
pub(crate) type Describe = for<'a> fn(&'a (dyn std::any::Any + Send)) -> Option<RemoteCall<'a>>;

/// [`Describe`] for `F`: the spec's arguments are `F::Args`.
pub(crate) fn describe<F: RemoteFn>(args: &(dyn std::any::Any + Send)) -> Option<RemoteCall<'_>> {
    let args = args.downcast_ref::<F::Args>()?;
    Some(RemoteCall {
        name: F::NAME,
        signature: F::SIGNATURE,
        signature_text: F::SIGNATURE_TEXT,
        args,
    })
}

/// The stable 64-bit hash of a signature text (FNV-1a): the same on every
/// build and platform, unlike `std`'s hashers.
///
/// # Examples
///
/// ```
/// assert_eq!(pycos::rps::signature_hash(""), 0xcbf2_9ce4_8422_2325);
/// assert_ne!(
///     pycos::rps::signature_hash("(u64) -> u64"),
///     pycos::rps::signature_hash("(u32) -> u64"),
/// );
/// ```
pub const fn signature_hash(text: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let bytes = text.as_bytes();
    let mut hash = OFFSET;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(PRIME);
        i += 1;
    }
    hash
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    /// No arguments and a fallible unit result: both the argument tuple
    /// and the result are `()` (once two ambiguous bounds).
    #[task(remote, manual, crate = "crate")]
    fn nothing_to_do(_task: TaskCtx) -> Result<(), String> {
        Ok(())
    }

    #[test]
    fn a_remote_function_may_take_nothing_and_give_nothing() {
        use crate::rps::RemoteFn as _;
        assert_eq!(nothing_to_do::SIGNATURE_TEXT, "() -> Result<(), String>");
        let sched = Pycos::new();
        assert!(sched.spawn(nothing_to_do()).value().is_ok());
        sched.finish().unwrap();
    }
}
