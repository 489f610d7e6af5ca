//! The remote function of `rps_monitor_server` and `rps_monitor_client`:
//! a task that waits for a message from its caller, then either ends
//! with it or fails, so that the client's monitor sees both outcomes.
//!
//! Defined in the library so that both programs link the same
//! [`RemoteFn`](pycos::rps::RemoteFn) type (one name, one signature).

use pycos::prelude::*;

/// Waits up to two seconds for a text from the client; with a positive
/// `b` and a text, sleeps `b` seconds and ends with the text; otherwise
/// fails with `A: invalid invocation: B` (a `TaskError::Error` at the
/// client's monitor), as pycos' example raises an exception.
#[task(remote, name = "pycos_examples::rps_monitor::rps_server")]
pub fn rps_server(a: String, b: f64, task: TaskCtx) -> Result<String, String> {
    let msg = task.receive().timeout(2.0).await;
    let text = msg.as_ref().and_then(|msg| msg.downcast_ref::<String>());
    match text {
        Some(text) if b > 0.0 && b.is_finite() => {
            task.sleep(b).await;
            Ok(text.clone())
        }
        _ => Err(format!("{a}: invalid invocation: {b}")),
    }
}
