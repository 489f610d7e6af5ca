//! The macros' output under strict lints, as thiserror's `test_lints.rs`:
//! rustc's lints fail `cargo test -p ui-tests`, clippy's fail
//! `cargo clippy -p ui-tests --all-targets -- -D warnings`. Unlike the
//! trybuild cases, this file is built with `--test`, so the `#[pycos::test]`
//! expansions are compiled (and run) too.

#![deny(warnings, unused, nonstandard_style, future_incompatible)]
#![deny(rust_2018_idioms, unused_qualifications, unused_results)]
#![deny(missing_debug_implementations, trivial_casts, unused_lifetimes)]
#![deny(clippy::all, clippy::pedantic)]

use std::num::ParseIntError;
use std::time::Duration;

use pycos::prelude::*;

/// A daemon that answers every `(Task, String)` request with the text's length.
#[task]
fn server(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        let Some((client, text)) = msg.downcast_ref::<(Task, String)>() else {
            continue;
        };
        if client.send(text.len()).is_err() {
            break;
        }
    }
}

/// Sends `count` requests and adds up the answers.
#[task]
fn client(server: Task, count: usize, task: TaskCtx) -> usize {
    let mut total = 0;
    for i in 0..count {
        server.send((task.handle(), "x".repeat(i))).unwrap();
        let answer = task.receive().await;
        total += answer.downcast_ref::<usize>().copied().unwrap_or_default();
    }
    total
}

/// A fallible `async fn` task.
#[task]
async fn parse(text: String, task: TaskCtx) -> Result<u32, ParseIntError> {
    let _: Option<Msg> = task.sleep(Duration::ZERO).await;
    text.parse()
}

/// A generic task with a tuple pattern and no injected context.
#[task]
fn pair<T: Clone + Send + Sync + 'static>((a, b): (T, T)) -> Vec<T> {
    vec![a, b]
}

/// A task that catches what is thrown into it.
#[task]
fn patient(task: TaskCtx) -> String {
    match task.suspend().catch().await {
        Ok(update) => format!("resumed with {update:?}"),
        Err(Interrupt::Thrown(err)) => format!("caught {err}"),
        Err(other) => {
            let text = other.to_string();
            other.rethrow();
            text
        }
    }
}

#[pycos::test]
async fn request_reply() {
    let server = Task::new(server());
    let client = Task::new(client(server, 4));
    assert_eq!(client.finish().await.unwrap(), 1 + 2 + 3);
}

#[pycos::test(virtual_clock)]
fn typed_results(task: TaskCtx) -> Result<(), TaskError> {
    assert!(task.sleep(3600).await.is_none());
    assert_eq!(Task::new(parse("42".to_owned())).finish().await?, 42);
    assert!(Task::new(parse("x".to_owned())).finish().await.is_err());
    assert_eq!(Task::new(pair((1_u8, 2))).finish().await?, [1, 2]);
    Ok(())
}

#[pycos::test]
async fn throw_is_caught(task: TaskCtx) {
    let waiter = Task::new(patient());
    let _: Option<Msg> = task.sleep(0.01).await;
    waiter.throw("stop").unwrap();
    assert_eq!(waiter.finish().await.unwrap(), "caught stop");
}

/// `#[pycos::main]` on a function other than `main` (a test crate has its
/// own `main`); it returns after the scheduler's tasks are done.
#[pycos::main]
fn program() -> Result<(), ParseIntError> {
    let n: u32 = "3".parse()?;
    let _client = Task::new(client(Task::new(server()), usize::try_from(n).unwrap_or(0)));
    Ok(())
}

#[test]
fn main_waits_for_tasks() {
    program().unwrap();
}
