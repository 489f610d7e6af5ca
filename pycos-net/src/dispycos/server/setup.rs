//! Running the client's `node_setup` / `server_setup` in a server.

use pycos::prelude::*;

use crate::dispycos::proto::SetupCall;

/// Runs the setup function `call` and checks it succeeded: it returned
/// `0` (an integer) or `()`.
pub(super) async fn run(call: &SetupCall, what: &str) -> Result<(), String> {
    let entry = pycos::rps::entry(&call.name).ok_or_else(|| {
        format!(
            "{what} {} is not a remote function of this executable",
            call.name
        )
    })?;
    if entry.signature() != call.signature {
        return Err(format!("{what} {} has another signature here", call.name));
    }
    let spec =
        crate::wire::decode_seed(&call.args, crate::wire::DEFAULT_MAX_FRAME, entry.seed())
            .map_err(|err| format!("{what} {}: its arguments do not decode: {err}", call.name))?;
    let value = Task::new(spec)
        .finish()
        .await
        .map_err(|err| format!("{what} {} failed: {err}", call.name))?;
    let ok = value.downcast_ref::<i32>() == Some(&0)
        || value.downcast_ref::<i64>() == Some(&0)
        || value.is::<()>();
    if ok {
        Ok(())
    } else {
        Err(format!("{what} {} did not return 0", call.name))
    }
}
