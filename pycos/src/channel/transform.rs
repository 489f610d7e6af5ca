//! Channel transforms: a function that rewrites or drops each message.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use crate::Msg;
use crate::panic::panic_text;

/// A channel's transform, shared so that it is called outside the channel's
/// lock (it is user code: it may take long, panic, or use the channel).
pub(crate) type Transform = Arc<dyn Fn(&str, Msg) -> Option<Msg> + Send + Sync>;

/// The message after `transform`: `None` drops it. A panicking transform
/// drops the message too, with a warning, and the channel keeps working.
pub(crate) fn apply(channel: &str, transform: Option<&Transform>, msg: Msg) -> Option<Msg> {
    let Some(transform) = transform else {
        return Some(msg);
    };
    match catch_unwind(AssertUnwindSafe(|| transform(channel, msg))) {
        Ok(out) => out,
        Err(panic) => {
            tracing::warn!(
                channel,
                panic = %panic_text(&*panic),
                "channel transform panicked; message dropped"
            );
            None
        }
    }
}
