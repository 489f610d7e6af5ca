//! Panics of user code, contained: the scheduler, the channels and the
//! thread pool all run code they did not write (task bodies, destructors,
//! transforms, jobs) and must outlive its panics.
//!
//! - [`contain`] runs a step and logs its panic instead of unwinding: one
//!   broken task, hook or destructor does not take the scheduler down.
//! - [`panic_text`] turns a payload into the text that errors and logs
//!   carry (`TaskError::Panicked`, `PoolError::Panicked`).
//! - [`drop_payload`] drops a payload whose own destructor may panic.
//!
//! Limits: only unwinding panics are caught (with `panic = "abort"` a panic
//! ends the process), and a payload that is neither `&str` nor `String`
//! (`panic_any`) is reported by a fixed text, not its value.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`, logging instead of unwinding if it panics. For the steps of
/// the scheduler loop that run user code (polls, destructors).
pub(crate) fn contain<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(panic) => {
            let text = panic_text(&*panic);
            drop_payload(panic);
            tracing::error!(panic = %text, "panic while {what}; the scheduler goes on");
            None
        }
    }
}

/// Drops a panic payload, whose own destructor may panic too (`panic_any`
/// of a value with a panicking `Drop`): such a payload is leaked instead.
pub(crate) fn drop_payload(payload: Box<dyn Any + Send>) {
    if let Err(again) = catch_unwind(AssertUnwindSafe(|| drop(payload))) {
        std::mem::forget(again);
    }
}

/// The message of a panic payload (`&str` or `String`, as `panic!` makes).
pub(crate) fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::{contain, panic_text};

    #[test]
    fn texts_of_payloads() {
        assert_eq!(panic_text(&"static"), "static");
        assert_eq!(panic_text(&String::from("owned")), "owned");
        assert_eq!(panic_text(&7_u8), "non-string panic payload");
    }

    #[test]
    fn contain_gives_the_value_or_none() {
        assert_eq!(contain("adding", || 1 + 1), Some(2));
        assert_eq!(contain("panicking", || -> u8 { panic!("boom") }), None);
    }
}
