//! Server mode: a process a node starts from its client's own executable
//! to run that client's jobs. `#[pycos::main]` recognises it (through the
//! core's before-main hook) before the user's `main` runs; a program
//! without that attribute calls [`serve_if_server`] first thing.
//!
//! A server is a node of its own (`<node name>_server-<i>`, on its own
//! port, in its own working directory) that creates, on request, any
//! `#[task(remote)]` function of the executable; it runs the client's
//! `node_setup` and `server_setup`, reports to the scheduler, and on
//! close waits for its jobs, interrupts the rest with a
//! [`KeyboardInterrupt`], allows them 5 s, then terminates them.

mod config;
mod jobs;
mod setup;

use std::path::Path;
use std::time::Duration;

use pycos::prelude::*;

pub(crate) use config::ServerConfig;
pub use jobs::{KeyboardInterrupt, close_node, close_server, is_keyboard_interrupt};

use super::proto::{
    NODE_TASK, SCHEDULER_TASK, SERVER_TASK, ServerReport, ServerState, ToNode, ToScheduler,
    ToServer,
};
use crate::Node;

/// The environment variable that starts a process in server mode: the
/// path of its configuration file.
pub const SERVER_ENV: &str = "PYCOS_DISPYCOS_SERVER";

/// The exit status of a server that asks its node for a fresh process.
pub(crate) const RESTART_STATUS: i32 = 75;

/// Runs this process as a dispycos server when its node started it so
/// (the [`SERVER_ENV`] variable is set), and gives the exit status; `None`
/// otherwise, and the program goes on. `#[pycos::main]` does this for
/// you; call it first in a `main` without the attribute:
///
/// ```no_run
/// if let Some(status) = pycos_net::dispycos::serve_if_server() {
///     std::process::exit(status);
/// }
/// // ... the client program
/// ```
pub fn serve_if_server() -> Option<i32> {
    let path = std::env::var_os(SERVER_ENV)?;
    Some(match run(Path::new(&path)) {
        Ok(status) => status,
        Err(why) => {
            eprintln!("error: dispycos server: {why}");
            1
        }
    })
}

// Registered with the core's before-main hooks: a link section, which
// the crate-wide `unsafe_code` lint counts.
#[allow(unsafe_code)]
#[pycos::__private::linkme::distributed_slice(pycos::__private::BEFORE_MAIN)]
#[linkme(crate = pycos::__private::linkme)]
static SERVER_HOOK: fn() -> Option<i32> = serve_if_server;

/// Keeps the hook linked into every program that uses a client (the
/// linker may drop an unreferenced section).
pub(crate) fn keep_hook() {
    std::hint::black_box(&SERVER_HOOK);
}

fn run(path: &Path) -> Result<i32, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let cfg = ServerConfig::from_text(&text)?;
    std::env::set_current_dir(&cfg.dir).map_err(|err| format!("{}: {err}", cfg.dir.display()))?;
    let builder = |port| {
        Node::builder()
            .name(cfg.name.clone())
            .host(cfg.host)
            .tcp_port(port)
            .discover(false)
            .secret(&cfg.secret)
            .msg_timeout(Duration::from_secs_f64(cfg.msg_timeout.max(1.0)))
            .dest_path(&cfg.dir)
    };
    // The node's port for this server may be taken (by another program, or
    // a connection's ephemeral port): any port will do, as the server
    // reports where it listens.
    let node = match builder(cfg.port).start() {
        Err(crate::NodeError::Bind(..)) if cfg.port != 0 => builder(0).start(),
        started => started,
    }
    .map_err(|err| err.to_string())?;
    super::proto::register();
    jobs::install();
    let status = node
        .scheduler()
        .spawn(server(cfg, node.clone()))
        .value()
        .unwrap_or(1);
    // Runs the node's exit hook: what is queued reaches the peers.
    let _ = Pycos::instance().terminate();
    Ok(status)
}

#[task]
fn server(cfg: ServerConfig, node: Node, task: TaskCtx) -> i32 {
    task.set_daemon(true);
    if let Err(err) = task.register(SERVER_TASK) {
        eprintln!("error: dispycos server: {err}");
        return 1;
    }
    let limit = Duration::from_secs_f64(cfg.msg_timeout.max(1.0));
    let daemon = node.locate_task(NODE_TASK, Some(cfg.node), limit).await;
    let sched = node
        .locate_task(SCHEDULER_TASK, Some(cfg.scheduler), limit)
        .await;
    let (Some(daemon), Some(sched)) = (daemon, sched) else {
        eprintln!("error: dispycos server: cannot reach its node or scheduler");
        return 1;
    };
    jobs::set_node(&daemon);
    let me = task.handle();
    jobs::set_server(&me);
    let _ = daemon.send(ToNode::ServerUp {
        index: cfg.index,
        task: me.clone(),
    });
    let report = |state: ServerState| {
        let report = ServerReport {
            auth: cfg.auth.clone(),
            location: node.location(),
            node: cfg.node,
            task: me.clone(),
            state,
        };
        let _ = sched.send(ToScheduler::Server(report));
    };
    if let Some(call) = &cfg.setup.node_setup
        && let Err(why) = setup::run(call, "node_setup").await
    {
        report(ServerState::SetupFailed(why));
        return 1;
    }
    report(ServerState::Discovered);
    let mut server_setup = cfg.setup.server_setup.clone();
    if cfg.setup.disable_servers {
        match task
            .receive_matching(|msg| msg.is::<ToServer>())
            .await
            .downcast::<ToServer>()
        {
            Ok(ToServer::Enable(call)) => server_setup = call.or(server_setup),
            Ok(ToServer::Close { restart, .. }) => {
                report(ServerState::Closed);
                return if restart { RESTART_STATUS } else { 0 };
            }
            Err(_) => return 1,
        }
    }
    if let Some(call) = &server_setup
        && let Err(why) = setup::run(call, "server_setup").await
    {
        report(ServerState::SetupFailed(why));
        return 1;
    }
    jobs::open();
    report(ServerState::Initialized);
    let (terminate, restart) = loop {
        let msg = task.receive().await;
        let msg = match msg.downcast::<MonitorStatus>() {
            Ok(status) => {
                report_end(&sched, status);
                continue;
            }
            Err(msg) => msg,
        };
        if let Ok(ToServer::Close { terminate, restart }) = msg.downcast::<ToServer>() {
            break (terminate, restart);
        }
    };
    jobs::close(&task, terminate).await;
    // The ends of the jobs that ran during the close.
    while let Some(msg) = task
        .receive_matching(|msg| msg.is::<MonitorStatus>())
        .timeout(0.0)
        .await
    {
        if let Ok(status) = msg.downcast::<MonitorStatus>() {
            report_end(&sched, status);
        }
    }
    report(ServerState::Closed);
    if restart { RESTART_STATUS } else { 0 }
}

/// Tells the scheduler a job ended, so its server is free again (the
/// value itself goes to the client, which watches the job).
fn report_end(sched: &Task, status: MonitorStatus) {
    let _ = sched.send(ToScheduler::JobEnded { task: status.task });
}
