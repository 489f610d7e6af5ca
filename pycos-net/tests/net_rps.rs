//! RPS across two processes: typed calls and results, remote failures
//! with their kind and text, refusals on the caller's side (unregistered
//! name, arguments that do not decode, another signature at locate),
//! `close` ending the remote tasks, and results that reach exactly their
//! caller under 1000 concurrent calls.
//!
//! The test process is node A (one node per process, shared by the
//! tests); each test starts its own server, node B, this binary re-run as
//! a child on 127.0.0.1 and killed by pid when the test ends.

mod support;

use std::sync::OnceLock;
use std::time::Duration;

use pycos::prelude::*;
use pycos::rps::RemoteFn;
use pycos::{MonitorStatus, TaskErrorKind};
use pycos_net::{Located, Location, Node, Rps, RpsError};
use support::{Children, ROLE, report};

const WAIT: Duration = Duration::from_secs(10);

fn builder(name: &str) -> pycos_net::NodeBuilder {
    support::loopback(name).msg_timeout(Duration::from_secs(5))
}

/// Node A, started by the first test that needs it.
fn node_a() -> Node {
    static NODE: OnceLock<Node> = OnceLock::new();
    NODE.get_or_init(|| builder("a").start().expect("node A starts"))
        .clone()
}

/// A small fast function: what the concurrency test checks each result
/// against.
fn f(n: u64) -> u64 {
    n.wrapping_mul(2_654_435_761) ^ 0x5555
}

#[task(remote)]
fn compute(n: u64) -> u64 {
    f(n)
}

/// Fails as asked: with an error or a panic.
#[task(remote)]
fn fails(how: String) -> Result<u64, String> {
    match how.as_str() {
        "panic" => panic!("asked to panic"),
        _ => Err(format!("asked to fail: {how}")),
    }
}

/// Reports when its body is dropped: it never ends by itself, so a drop
/// means it was terminated.
struct Guard(u32);

impl Drop for Guard {
    fn drop(&mut self) {
        report(&format!("dropped {}", self.0));
    }
}

#[task(remote)]
fn forever(tag: u32, task: TaskCtx) {
    let _guard = Guard(tag);
    report(&format!("running {tag}"));
    loop {
        task.sleep(60.0).await;
    }
}

/// Published by the server, withdrawn on request.
#[task(remote)]
fn withdrawn(n: u32) -> u32 {
    n
}

/// The server's function under a shared name...
#[task(remote, name = "net_rps::shape")]
fn shape_server(sides: u32) -> u32 {
    sides
}

/// ...and the client's, with other types (not registered statically:
/// the name is the server's).
#[task(remote, manual, name = "net_rps::shape")]
fn shape_client(name: String) -> String {
    name
}

/// A client that claims `compute`'s name and signature but sends a
/// `String`: the server cannot decode it.
struct Liar;

impl RemoteFn for Liar {
    type Args = (String,);
    type Output = u64;
    const NAME: &'static str = compute::NAME;
    const SIGNATURE_TEXT: &'static str = compute::SIGNATURE_TEXT;
    const SIGNATURE: u64 = compute::SIGNATURE;

    fn spec((_,): (String,)) -> TaskSpec<u64> {
        compute(0)
    }
}

#[test]
fn rps_server() {
    if std::env::var(ROLE).is_err() {
        return;
    }
    support::limit_lifetime(Duration::from_secs(90));
    let node = builder("b").start().unwrap();
    Rps::<compute>::register().unwrap();
    Rps::<fails>::register().unwrap();
    Rps::<forever>::register().unwrap();
    Rps::<withdrawn>::register().unwrap();
    Rps::<shape_server>::register().unwrap();
    let again = Rps::<compute>::register();
    report(&format!("register again: {again:?}"));
    report(&format!("at {}", node.location()));
    for line in std::io::stdin().lines().map_while(Result::ok) {
        if line == "withdraw" {
            report(&format!("withdrawn {}", Rps::<withdrawn>::unregister()));
        }
    }
}

/// A server child and its location.
fn server(children: &mut Children) -> (usize, Location) {
    let b = children.spawn("rps_server", "b", &[], None);
    let at = children.location(b, WAIT);
    node_a();
    (b, at)
}

/// Runs `spec` on node A's scheduler and fails the test with its error.
fn run(spec: TaskSpec<()>) {
    if let Err(err) = Pycos::instance().spawn(spec).value_timeout(60.0) {
        panic!("{err}");
    }
}

fn text(err: impl std::fmt::Display) -> String {
    err.to_string()
}

#[task]
fn typed_call(b: Location, task: TaskCtx) -> Result<(), String> {
    let rps = Rps::<compute>::locate(Some(b), WAIT).await.map_err(text)?;
    assert_eq!(rps.location(), b);
    assert_eq!(rps.name(), compute::NAME);
    rps.monitor(&task.handle()).await;
    let remote: Task<u64> = rps.call((21,)).await.map_err(text)?;
    assert_eq!(remote.location(), Some(b), "the task runs at the server");
    let value = remote
        .finish()
        .timeout(WAIT)
        .await
        .ok_or("no result in time")?;
    assert_eq!(value.map_err(text)?, f(21), "the typed result");
    let status = task
        .receive_matching(|msg| msg.is::<MonitorStatus>())
        .timeout(WAIT)
        .await
        .ok_or("no MonitorStatus through rps.monitor")?;
    let status = status
        .downcast_ref::<MonitorStatus>()
        .ok_or("not a status")?;
    assert_eq!(status.task, remote, "the status is the called task's");
    let forwarded = status.result.clone().map_err(text)?;
    assert_eq!(forwarded.downcast_ref::<u64>(), Some(&f(21)));
    Ok(())
}

#[test]
fn call_gives_the_typed_result_and_monitors_hear_it() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let (b, at) = server(&mut children);
    let refused = children.wait_line(b, 0, WAIT, "the second register", |l| {
        l.starts_with("register again")
    });
    assert!(refused.contains("AlreadyRegistered"), "{refused}");
    run(typed_call(at));
}

#[task]
fn failures(b: Location) -> Result<(), String> {
    let rps = Rps::<fails>::locate(Some(b), WAIT).await.map_err(text)?;
    for (how, kind, words) in [
        ("error", TaskErrorKind::Error, "asked to fail: error"),
        ("panic", TaskErrorKind::Panicked, "asked to panic"),
    ] {
        let remote = rps.call((how.to_owned(),)).await.map_err(text)?;
        let outcome = remote.finish().timeout(WAIT).await.ok_or("no outcome")?;
        let err = outcome
            .err()
            .ok_or_else(|| format!("{how}: the task should fail"))?;
        assert_eq!(err.kind(), kind, "{how}: {err}");
        assert!(err.to_string().contains(words), "{how}: {err}");
    }
    Ok(())
}

#[test]
fn remote_failures_arrive_with_kind_and_text() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let (_, at) = server(&mut children);
    run(failures(at));
}

#[task]
fn refusals(b: Location) -> Result<(), String> {
    // Another signature under the name: refused at locate, naming both.
    match Rps::<shape_client>::locate(Some(b), WAIT).await {
        Err(err @ RpsError::SignatureMismatch { .. }) => {
            let text = err.to_string();
            for part in [
                shape_client::SIGNATURE_TEXT,
                shape_server::SIGNATURE_TEXT,
                &format!("{:#018x}", shape_client::SIGNATURE),
                &format!("{:#018x}", shape_server::SIGNATURE),
            ] {
                assert!(text.contains(part), "{part} missing in: {text}");
            }
        }
        other => return Err(format!("the mismatch should be refused: {other:?}")),
    }
    // Nothing under the name: refused as soon as the peer answers.
    #[task(remote, manual, name = "net_rps::nowhere")]
    fn nowhere() {}
    match Rps::<nowhere>::locate(Some(b), WAIT).await {
        Err(RpsError::NotFound { name }) => assert_eq!(name, "net_rps::nowhere"),
        other => return Err(format!("an unknown name is not found: {other:?}")),
    }
    // Arguments the server cannot decode.
    let liar = Rps::<Liar>::locate(Some(b), WAIT).await.map_err(text)?;
    match liar.call(("not a number".repeat(20),)).await {
        Err(RpsError::BadArgs { name, why }) => {
            assert_eq!(name, compute::NAME);
            assert!(why.contains("(u64) -> u64"), "{why}");
        }
        other => return Err(format!("bad arguments are refused: {other:?}")),
    }
    // A name the server withdrew after the locate.
    let rps = Rps::<withdrawn>::locate(Some(b), WAIT)
        .await
        .map_err(text)?;
    let first = rps.call((5,)).await.map_err(text)?;
    let value = first.finish().timeout(WAIT).await.ok_or("no result")?;
    assert_eq!(value.map_err(text)?, 5);
    Ok(())
}

#[task]
fn locate_withdrawn_again(b: Location) -> Result<(), String> {
    let rps = Rps::<withdrawn>::locate(Some(b), WAIT).await;
    match rps {
        Err(RpsError::NotFound { .. }) => {}
        other => return Err(format!("a withdrawn name is not found: {other:?}")),
    }
    Ok(())
}

#[test]
fn refusals_are_errors_on_the_callers_side() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let (b, at) = server(&mut children);
    run(refusals(at));
    // A proxy made before the withdrawal: its call is refused.
    let proxy = Pycos::instance()
        .spawn(locate_withdrawn(at))
        .value_timeout(30.0)
        .expect("located before the withdrawal");
    let mark = children.mark();
    children.tell(b, "withdraw");
    children.wait_line(b, mark, WAIT, "the withdrawal", |l| l == "withdrawn true");
    let called = Pycos::instance()
        .spawn(call_proxy(proxy))
        .value_timeout(30.0)
        .expect("the call task");
    match called {
        Some(RpsError::NotRegistered { name, at: there }) => {
            assert_eq!(name, withdrawn::NAME);
            assert_eq!(there, at);
        }
        other => panic!("a withdrawn name is refused at the call: {other:?}"),
    }
    run(locate_withdrawn_again(at));
}

#[task]
fn locate_withdrawn(b: Location) -> Result<Rps<withdrawn>, String> {
    Rps::<withdrawn>::locate(Some(b), WAIT).await.map_err(text)
}

/// The call's error, if it fails.
#[task]
fn call_proxy(rps: Rps<withdrawn>) -> Option<RpsError> {
    rps.call((1,)).await.err()
}

#[task]
fn start_forever(b: Location) -> Result<(Rps<forever>, Vec<Task<()>>), String> {
    let rps = Rps::<forever>::locate(Some(b), WAIT).await.map_err(text)?;
    let mut tasks = Vec::new();
    for tag in 0..3 {
        tasks.push(rps.call((tag,)).await.map_err(text)?);
    }
    Ok((rps, tasks))
}

#[task]
fn close_them(rps: Rps<forever>, tasks: Vec<Task<()>>) -> Result<(), String> {
    assert_eq!(rps.close(), 3, "three tasks outstanding");
    for remote in &tasks {
        let outcome = remote.finish().timeout(WAIT).await.ok_or("no outcome")?;
        match outcome {
            Err(err) if err.kind() == TaskErrorKind::Terminated => {}
            other => return Err(format!("{remote} should end terminated: {other:?}")),
        }
    }
    match rps.call((9,)).await {
        Err(RpsError::Closed { .. }) => Ok(()),
        other => Err(format!("a closed proxy refuses calls: {other:?}")),
    }
}

#[test]
fn close_terminates_the_outstanding_tasks() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let (b, at) = server(&mut children);
    let (rps, tasks) = Pycos::instance()
        .spawn(start_forever(at))
        .value_timeout(30.0)
        .expect("three tasks started");
    for tag in 0..3 {
        children.wait_line(b, 0, WAIT, "a task running", |l| {
            l == format!("running {tag}")
        });
    }
    run(close_them(rps, tasks));
    for tag in 0..3 {
        children.wait_line(b, 0, WAIT, "the server dropping a task", |l| {
            l == format!("dropped {tag}")
        });
    }
}

/// One call of the concurrency test: its argument and what came back.
#[task]
fn one_call(rps: Rps<compute>, n: u64) -> Result<u64, String> {
    let remote = rps.call((n,)).await.map_err(text)?;
    match remote.finish().timeout(WAIT).await {
        Some(result) => result.map_err(text),
        None => Err(format!("call {n}: no result within {WAIT:?}")),
    }
}

#[task]
fn concurrent(b: Location, rounds: u64, calls: u64) -> Result<(), String> {
    let rps = Rps::<compute>::locate(Some(b), WAIT).await.map_err(text)?;
    for round in 0..rounds {
        let tasks: Vec<_> = (0..calls)
            .map(|i| {
                let n = round * 1_000_000 + i;
                (n, Task::new(one_call(rps.clone(), n)))
            })
            .collect();
        let (mut misrouted, mut failed) = (Vec::new(), Vec::new());
        for (n, call) in tasks {
            match call.finish().await {
                Ok(got) if got == f(n) => {}
                Ok(got) => misrouted.push((n, got)),
                Err(err) => failed.push(err.to_string()),
            }
        }
        if !misrouted.is_empty() || !failed.is_empty() {
            return Err(format!(
                "round {round}: {} misrouted (first {:?}), {} failed or hung (first {:?})",
                misrouted.len(),
                misrouted.first(),
                failed.len(),
                failed.first()
            ));
        }
    }
    Ok(())
}

#[test]
fn results_reach_exactly_their_caller_under_1000_concurrent_calls() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let (_, at) = server(&mut children);
    run(concurrent(at, 20, 1000));
}
