//! The remote function of `rps_pico_service` and `rps_pico_client`: a
//! tiny ("pico") service, the time at the server, run as a new task for
//! every call (compare `pico_service_task`, where one task serves every
//! request).
//!
//! The function lives here, in the library, so that both programs link
//! the same [`RemoteFn`](pycos::rps::RemoteFn) type: the client's calls
//! are checked against its argument types at compile time, and the
//! server's node publishes it under the same name and signature.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use pycos::prelude::*;
use pycos::{Message, Task};
use serde::{Deserialize, Serialize};

/// The answer of one call: the time at the server, and the task that
/// served it (the task the client's call created).
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::rps_pico::TimeReply")]
pub struct TimeReply {
    /// What the service found.
    pub result: String,
    /// The task that served the call.
    pub server: Task,
}

/// The longest delay of a call, in milliseconds (set by the server).
static LONGEST_MS: AtomicU64 = AtomicU64::new(2000);

/// Sets the longest delay the service takes to answer (seconds; the
/// shortest is a quarter of it, as pycos' 0.5 to 2 s).
pub fn set_longest_delay(secs: f64) {
    let ms = (secs.max(0.0) * 1000.0).min(u64::MAX as f64) as u64;
    LONGEST_MS.store(ms, Ordering::Relaxed);
}

/// Serves one request: `time` is the only one (anything else fails the
/// task, so the client's `finish` reports it). `client` is the task that
/// asked, as in pycos' request dictionary.
#[task(remote, name = "pycos_examples::rps_pico::pico_service")]
pub fn pico_service(req: String, client: Task, task: TaskCtx) -> Result<TimeReply, String> {
    if req != "time" {
        return Err(format!("unknown request {req:?} from {client}"));
    }
    let longest = LONGEST_MS.load(Ordering::Relaxed) as f64 / 1000.0;
    // A stand-in for reading a sensor or computing.
    task.sleep(longest * (0.25 + 0.75 * fastrand::f64())).await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(TimeReply {
        result: format!("{now} s since the epoch"),
        server: task.handle(),
    })
}
