//! Test helper, not a pycos example: one node whose every step is a line on
//! standard input, so that the multi-process tests in
//! `tests/examples_net.rs` can script several nodes and read what each saw.
//!
//! It takes the shared network options (see `pycos_examples::net`), prints
//! `node at IP:PORT`, then runs one command per input line, each answered
//! with one line (or, for watchers, one line per event):
//!
//! ```text
//! peer IP:PORT                 link to a peer        -> peer IP:PORT linked | peer IP:PORT failed: WHY
//! task NAME echo               a task registered as NAME printing `NAME got MSG` per message
//! task NAME value N            ... ending with the value N at its first message
//! task NAME fail               ... failing (`Err`) at its first message
//! task NAME wait               ... waiting forever (to be terminated)
//! locate NAME AS               find a task by name, keep it as AS
//!                                                    -> located NAME as AS | not located NAME
//! send AS TEXT                 -> sent AS | send AS failed: REASON
//! deliver AS TEXT              -> delivered AS | not delivered AS: REASON
//! finish AS                    -> finish AS: value V | finish AS: error KIND
//! monitor AS                   one line per MonitorStatus: monitor AS: value V | monitor AS: error KIND
//! terminate AS                 -> terminated AS | terminate AS failed
//! channel NAME                 create and register a channel -> channel NAME registered
//! locate_channel NAME AS       -> located channel NAME as AS | not located channel NAME
//! subscribe AS LABEL           subscribe a new task printing `LABEL got MSG` -> subscribed LABEL
//! chdeliver AS TEXT N SECS     channel deliver(TEXT, n=N, timeout=SECS) -> reached K | chdeliver failed: REASON
//! peer_status                  one line per status: status IP:PORT NAME online|offline
//! ping                         -> pong (all earlier commands have been started)
//! quit                         (or end of input) stop
//! ```
//!
//! REASON is one of `ended`, `unreachable`, `timed out`, `refused`,
//! `not serializable`, `closed`; KIND is [`TaskErrorKind`]'s text
//! (`error`, `terminated`, `unreachable`, …).
//!
//! [`TaskErrorKind`]: pycos::TaskErrorKind

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use pycos::SendError;
use pycos::prelude::*;
use pycos_examples::net;

/// The handles kept by `locate` and `locate_channel`, by alias.
static TASKS: LazyLock<Mutex<HashMap<String, Task>>> = LazyLock::new(Default::default);
static CHANNELS: LazyLock<Mutex<HashMap<String, Channel>>> = LazyLock::new(Default::default);

fn task_named(alias: &str) -> Option<Task> {
    TASKS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(alias)
        .cloned()
}

fn channel_named(alias: &str) -> Option<Channel> {
    CHANNELS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(alias)
        .cloned()
}

fn send_reason(err: &SendError) -> &'static str {
    if err.is_ended() {
        "ended"
    } else if err.is_unreachable() {
        "unreachable"
    } else if err.is_timed_out() {
        "timed out"
    } else if err.is_refused() {
        "refused"
    } else if err.is_not_serializable() {
        "not serializable"
    } else {
        "other"
    }
}

fn outcome(result: &Result<Msg, TaskError>) -> String {
    match result {
        Ok(value) => format!("value {}", net::describe(value)),
        Err(err) => format!("error {}", err.kind()),
    }
}

/// What a scripted task does.
#[derive(Clone, Copy)]
enum Kind {
    Echo,
    Value(i64),
    Fail,
    Wait,
}

#[task]
fn scripted(name: String, kind: Kind, task: TaskCtx) -> Result<i64, String> {
    task.set_daemon(true);
    task.register(&name).map_err(|err| err.to_string())?;
    loop {
        let msg = task.receive().await;
        match kind {
            Kind::Echo | Kind::Wait => println!("{name} got {}", net::describe(&msg)),
            Kind::Value(n) => return Ok(n),
            Kind::Fail => return Err(format!("{name} fails on purpose")),
        }
    }
}

#[task]
fn echo(label: String, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        println!("{label} got {}", net::describe(&msg));
    }
}

#[task]
fn monitor(alias: String, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        match msg.downcast_ref::<MonitorStatus>() {
            Some(status) => println!("monitor {alias}: {}", outcome(&status.result)),
            None => println!("monitor {alias}: other {}", net::describe(&msg)),
        }
    }
}

#[task]
fn statuses(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(status) = msg.downcast_ref::<pycos_net::PeerStatus>() {
            let state = match status.status {
                pycos_net::PeerState::Online => "online",
                _ => "offline",
            };
            println!("status {} {} {state}", status.location, status.name);
        }
    }
}

/// Runs one command line.
#[task]
fn command(line: String, task: TaskCtx) {
    task.set_daemon(true);
    let Some(node) = pycos_net::Node::current() else {
        println!("no node");
        return;
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["peer", at] => match at.parse() {
            Ok(location) => match node.peer(location).await {
                Ok(()) => println!("peer {at} linked"),
                Err(err) => println!("peer {at} failed: {err}"),
            },
            Err(err) => println!("peer {at} failed: {err}"),
        },
        ["task", name, kind @ ..] => {
            let kind = match kind {
                ["echo"] => Kind::Echo,
                ["value", n] => match n.parse() {
                    Ok(n) => Kind::Value(n),
                    Err(_) => return println!("bad value {n}"),
                },
                ["fail"] => Kind::Fail,
                ["wait"] => Kind::Wait,
                _ => return println!("bad task kind {kind:?}"),
            };
            Task::new(scripted((*name).to_owned(), kind));
            // Registered at the task's first step: wait for the name.
            for _ in 0..100 {
                if node.scheduler().locate(name).is_some() {
                    return println!("task {name} started");
                }
                task.sleep(0.01).await;
            }
            println!("task {name} did not register");
        }
        ["locate", name, alias] => match node
            .locate_task(name, None, std::time::Duration::from_secs(5))
            .await
        {
            Some(found) => {
                TASKS
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert((*alias).to_owned(), found);
                println!("located {name} as {alias}");
            }
            None => println!("not located {name}"),
        },
        ["send", alias, text @ ..] => {
            let Some(to) = task_named(alias) else {
                return println!("no task {alias}");
            };
            match to.send(text.join(" ")) {
                Ok(()) => println!("sent {alias}"),
                Err(err) => println!("send {alias} failed: {}", send_reason(&err)),
            }
        }
        ["deliver", alias, text @ ..] => {
            let Some(to) = task_named(alias) else {
                return println!("no task {alias}");
            };
            match to.deliver(text.join(" ")).await {
                Ok(()) => println!("delivered {alias}"),
                Err(err) => println!("not delivered {alias}: {}", send_reason(&err)),
            }
        }
        ["finish", alias] => {
            let Some(of) = task_named(alias) else {
                return println!("no task {alias}");
            };
            match of.finish().timeout(20.0).await {
                Some(result) => println!("finish {alias}: {}", outcome(&result)),
                None => println!("finish {alias}: no outcome in 20 s"),
            }
        }
        ["monitor", alias] => {
            let Some(of) = task_named(alias) else {
                return println!("no task {alias}");
            };
            let watcher = Task::new(monitor((*alias).to_owned()));
            match of.notify(&watcher) {
                Ok(()) => println!("monitoring {alias}"),
                Err(_) => println!("monitor {alias} failed: ended"),
            }
        }
        ["terminate", alias] => {
            let Some(of) = task_named(alias) else {
                return println!("no task {alias}");
            };
            match of.terminate() {
                Ok(()) => println!("terminated {alias}"),
                Err(_) => println!("terminate {alias} failed"),
            }
        }
        ["channel", name] => match Channel::new(name).and_then(|c| c.register().map(|()| c)) {
            Ok(channel) => {
                CHANNELS
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert((*name).to_owned(), channel);
                println!("channel {name} registered");
            }
            Err(err) => println!("channel {name} failed: {err}"),
        },
        ["locate_channel", name, alias] => {
            match node
                .locate_channel(name, None, std::time::Duration::from_secs(5))
                .await
            {
                Some(found) => {
                    CHANNELS
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert((*alias).to_owned(), found);
                    println!("located channel {name} as {alias}");
                }
                None => println!("not located channel {name}"),
            }
        }
        ["subscribe", alias, label] => {
            let Some(channel) = channel_named(alias) else {
                return println!("no channel {alias}");
            };
            let receiver = Task::new(echo((*label).to_owned()));
            match channel.subscribe(&receiver).await {
                Ok(()) => println!("subscribed {label}"),
                Err(err) => println!("subscribe {label} failed: {err}"),
            }
        }
        ["chdeliver", alias, text, n, secs] => {
            let Some(channel) = channel_named(alias) else {
                return println!("no channel {alias}");
            };
            let (Ok(n), Ok(secs)) = (n.parse::<usize>(), secs.parse::<f64>()) else {
                return println!("bad chdeliver numbers");
            };
            match channel.deliver((*text).to_owned(), n, secs).await {
                Ok(count) => println!("reached {count}"),
                Err(err) => println!("chdeliver failed: {err}"),
            }
        }
        ["peer_status"] => {
            let watcher = Task::new(statuses());
            node.peer_status(&watcher.untyped());
            println!("watching peers");
        }
        ["ping"] => println!("pong"),
        _ => println!("bad command {line:?}"),
    }
}

#[pycos::main]
fn main() -> Result<(), String> {
    let args = net::parse()?;
    let node = args.builder.start().map_err(|err| err.to_string())?;
    println!("node at {}", node.location());
    for line in std::io::stdin().lines() {
        let line = line.map_err(|err| err.to_string())?;
        let line = line.trim();
        if line == "quit" {
            break;
        }
        if !line.is_empty() {
            Task::new(command(line.to_owned()));
        }
    }
    Ok(())
}
