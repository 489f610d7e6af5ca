//! The wire context: what decoding a handle needs to know about the link
//! it came from.
//!
//! A [`Task`](crate::Task) or [`Channel`](crate::Channel) on the wire is a
//! reference (location, id, name); turning it back into a handle needs the
//! scheduler whose hook reaches other nodes, and the sender's location for
//! a reference to "the sender's node". serde's `Deserialize` has no room
//! for that, so the networking crate sets it for the thread while it
//! decodes a frame ([`with_wire_context`]). A thread-local slot, restored by
//! a guard, keeps this nestable and panic-safe.

use std::cell::RefCell;
use std::sync::Arc;

use crate::Pycos;

/// What decoding handles needs: the local scheduler and the sender's
/// location.
#[derive(Debug, Clone)]
pub struct WireContext {
    /// The scheduler whose hook serves the decoded proxies.
    pub sched: Pycos,
    /// The sender's location as it prints (`ip:port`): where a handle that
    /// names "the sender's node" lives.
    pub peer: Arc<str>,
}

thread_local! {
    static CURRENT: RefCell<Option<WireContext>> = const { RefCell::new(None) };
}

/// Runs `f` with `ctx` as this thread's wire context: handles decoded in
/// `f` resolve through it. Calls nest; the previous context is restored
/// when `f` returns or panics.
///
/// # Examples
///
/// ```
/// use pycos::Pycos;
/// use pycos::message::{WireContext, with_wire_context};
///
/// let ctx = WireContext { sched: Pycos::new(), peer: "10.0.0.2:9705".into() };
/// let n = with_wire_context(&ctx, || 1 + 1);
/// assert_eq!(n, 2);
/// ctx.sched.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn with_wire_context<R>(ctx: &WireContext, f: impl FnOnce() -> R) -> R {
    /// Puts the previous context back, also when `f` panics.
    struct Restore(Option<WireContext>);

    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            // The slot may be gone while the thread exits: nothing to restore.
            let _ = CURRENT.try_with(|slot| *slot.borrow_mut() = previous);
        }
    }

    let previous = CURRENT.with(|slot| slot.replace(Some(ctx.clone())));
    let _restore = Restore(previous);
    f()
}

/// This thread's wire context, if a decode is running under one.
pub(crate) fn current() -> Option<WireContext> {
    CURRENT
        .try_with(|slot| slot.borrow().clone())
        .ok()
        .flatten()
}
