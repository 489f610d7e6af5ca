//! Operations on remote tasks beyond send: `throw` (the remote task ends
//! thrown, and a monitor here sees the kind), `resume` (a suspended remote
//! task gets the value), and a message over the bulk threshold (cut into
//! chunks on the wire) that arrives whole and keeps its order with the
//! small one sent after it.
//!
//! The test process is node A; node B is this binary re-run as a child on
//! 127.0.0.1, killed by pid when the test ends.

mod support;

use std::time::Duration;

use pycos::prelude::*;
use pycos_net::{Located, Location, Node};
use support::{Children, ROLE, report};

const WAIT: Duration = Duration::from_secs(10);

fn builder(name: &str) -> pycos_net::NodeBuilder {
    support::loopback(name).msg_timeout(Duration::from_secs(5))
}

#[test]
fn tasks_child() {
    if std::env::var(ROLE).is_err() {
        return;
    }
    support::limit_lifetime(Duration::from_secs(60));
    let node = builder("b").start().unwrap();
    for spec in [victim(), sleeper(), sizes()] {
        Pycos::instance().spawn(spec);
    }
    report(&format!("at {}", node.location()));
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

/// Waits for messages until a throw ends it.
#[task]
fn victim(task: TaskCtx) {
    task.register("victim").unwrap();
    loop {
        let _ = task.receive().await;
    }
}

/// Suspends until resumed, then reports the value it was resumed with.
#[task]
fn sleeper(task: TaskCtx) {
    task.register("sleeper").unwrap();
    report("sleeping");
    let update = task.suspend().await;
    report(&format!("resumed with {update:?}"));
}

/// Reports the size of every `Vec<u8>` and the value of every `u32`.
#[task]
fn sizes(task: TaskCtx) {
    task.set_daemon(true);
    task.register("sizes").unwrap();
    loop {
        let msg = task.receive().await;
        if let Some(bytes) = msg.downcast_ref::<Vec<u8>>() {
            let intact = bytes.iter().enumerate().all(|(i, b)| *b == i as u8);
            report(&format!("bytes {} intact {intact}", bytes.len()));
        } else if let Some(n) = msg.downcast_ref::<u32>() {
            report(&format!("number {n}"));
        }
    }
}

#[task]
fn operate(b: Location) -> Result<(), String> {
    let node = Node::current().unwrap();
    node.peer(b).await.map_err(|e| e.to_string())?;
    let find = |name: &'static str| node.locate_task(name, Some(b), WAIT);

    let victim = find("victim").await.ok_or("no victim")?;
    assert_eq!(
        victim.location(),
        Some(b),
        "a remote task lives at its node"
    );
    let here = pycos::Pycos::cur_task().ok_or("not in a task")?;
    assert_eq!(
        here.location(),
        Some(node.location()),
        "a local task lives here"
    );
    victim.throw("stop now").map_err(|e| e.to_string())?;
    match victim.finish().timeout(WAIT).await {
        Some(Err(err)) if err.kind() == pycos::TaskErrorKind::Thrown => {
            assert!(
                err.to_string().contains("stop now"),
                "the text crossed: {err}"
            );
        }
        other => return Err(format!("the victim should end thrown: {other:?}")),
    }

    let sleeper = find("sleeper").await.ok_or("no sleeper")?;
    sleeper
        .resume(String::from("wake up"))
        .map_err(|e| e.to_string())?;
    let ended = sleeper.finish().timeout(WAIT).await;
    assert!(
        matches!(ended, Some(Ok(_))),
        "the sleeper ends after the resume: {ended:?}"
    );

    let sizes = find("sizes").await.ok_or("no sizes")?;
    let big: Vec<u8> = (0..(1 << 20)).map(|i| i as u8).collect();
    sizes.send(big).map_err(|e| e.to_string())?;
    sizes.send(7_u32).map_err(|e| e.to_string())?;
    Ok(())
}

#[test]
fn throw_resume_and_bulk() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut children = Children::new();
    let b = children.spawn("tasks_child", "b", &[], None);
    let at = children.location(b, WAIT);
    children.wait_line(b, 0, WAIT, "the sleeper", |l| l == "sleeping");
    let _a = builder("a").start().unwrap();
    let outcome = Pycos::instance().spawn(operate(at)).value_timeout(30.0);
    if let Err(err) = outcome {
        panic!("the remote operations failed: {err}");
    }
    children.wait_line(b, 0, WAIT, "the resume value", |l| {
        l == "resumed with Msg(\"wake up\")"
    });
    let first = children.wait_line(b, 0, WAIT, "the big message", |l| {
        l.starts_with("bytes ") || l.starts_with("number ")
    });
    assert_eq!(
        first, "bytes 1048576 intact true",
        "the megabyte first, whole"
    );
    children.wait_line(b, 0, WAIT, "the small one after it", |l| l == "number 7");
}
