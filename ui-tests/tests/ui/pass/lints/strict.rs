//! The macros' output compiled under strict lints: any warning in the
//! generated code (an unused binding, a needless qualification, a missing
//! doc on something the macro made public) fails this case.

#![deny(warnings, unused, nonstandard_style, future_incompatible)]
#![deny(rust_2018_idioms, rust_2024_compatibility, unused_qualifications)]
#![deny(missing_docs, missing_debug_implementations, unreachable_pub)]
#![deny(unused_results, unused_lifetimes, single_use_lifetimes, trivial_casts)]
#![deny(unsafe_code, variant_size_differences, let_underscore_drop)]
#![deny(clippy::all, clippy::pedantic)]

use std::num::ParseIntError;

use pycos::prelude::*;

/// A daemon that prints what it receives.
#[task]
pub fn server(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(text) = msg.downcast_ref::<String>() {
            println!("received {text}");
        }
    }
}

/// Sends `count` messages to `server`.
#[task]
pub fn client(server: Task, count: u32, task: TaskCtx) {
    for i in 0..count {
        if task.sleep(0.001).await.is_some() {
            return;
        }
        server.send(format!("message {i}")).unwrap();
    }
}

/// Parses `text`: a fallible task.
#[task]
pub async fn parse(text: String) -> Result<u32, ParseIntError> {
    text.parse()
}

/// A generic task with a tuple pattern and no injected context.
#[task]
pub fn pair<T: Clone + Send + Sync + 'static>((a, b): (T, T)) -> Vec<T> {
    vec![a, b]
}

/// A remote task function: `manual`, since this crate denies unsafe code
/// (the static registration is a link-section static).
#[task(remote, manual)]
pub fn square(n: u64) -> u64 {
    n * n
}

#[pycos::main]
fn main() -> Result<(), TaskError> {
    pycos::rps::register_fn::<square>().map_err(|_| TaskError::Terminated)?;
    let squared = Task::new(square(3));
    assert_eq!(squared.value().map_err(|_| TaskError::Terminated)?, 9);
    let server = Task::new(server());
    let _client = Task::new(client(server, 3));
    let parsed = Task::new(parse("42".to_owned()));
    let pair = Task::new(pair((1_u8, 2_u8)));
    assert_eq!(pair.value().map_err(|_| TaskError::Terminated)?, [1, 2]);
    assert_eq!(parsed.value().map_err(|_| TaskError::Terminated)?, 42);
    Ok(())
}
