//! The jobs of this server process: admitted only while the server is
//! open, tracked so that closing can wait for them, interrupt them, and
//! end them.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use pycos::prelude::*;

use crate::dispycos::proto::{SERVER_TASK, ToNode, ToServer};
use crate::rps::serve::{JobGate, serve_every_function};
use crate::util::lock;

/// What closing a server throws into the jobs still running after the
/// wait (pycos' `KeyboardInterrupt`): a job that catches it (with
/// `.catch()` on a wait) can send a last result and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyboardInterrupt;

impl std::fmt::Display for KeyboardInterrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyboardInterrupt: the dispycos server is closing")
    }
}

impl std::error::Error for KeyboardInterrupt {}

/// Whether a caught interrupt is the server's [`KeyboardInterrupt`].
pub fn is_keyboard_interrupt(interrupt: &Interrupt) -> bool {
    match interrupt {
        Interrupt::Thrown(err) => err.get_ref().is::<KeyboardInterrupt>(),
        Interrupt::HotSwap(_) => false,
    }
}

const STARTING: u8 = 0;
const OPEN: u8 = 1;
const CLOSING: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(STARTING);
static JOBS: Mutex<Vec<Task>> = Mutex::new(Vec::new());
static NODE: OnceLock<Task> = OnceLock::new();

fn admit() -> Result<(), String> {
    match STATE.load(Ordering::Acquire) {
        OPEN => Ok(()),
        STARTING => Err("the dispycos server is not initialised yet".into()),
        _ => Err("the dispycos server is closing".into()),
    }
}

/// The server's task: it monitors every job, to report its end.
static SERVER: OnceLock<Task> = OnceLock::new();

fn started(task: &Task) {
    if let Some(server) = SERVER.get() {
        // Before the job can run: its end is never missed.
        let _ = task.notify(server);
    }
    let mut jobs = lock(&JOBS);
    jobs.retain(Task::is_alive);
    jobs.push(task.clone());
}

/// Serves every remote function of the executable, through the gate.
pub(super) fn install() {
    serve_every_function(JobGate { admit, started });
}

pub(super) fn set_server(task: &Task) {
    let _ = SERVER.set(task.clone());
}

pub(super) fn set_node(task: &Task) {
    let _ = NODE.set(task.clone());
}

pub(super) fn open() {
    STATE.store(OPEN, Ordering::Release);
}

fn running() -> Vec<Task> {
    let mut jobs = lock(&JOBS);
    jobs.retain(Task::is_alive);
    jobs.clone()
}

/// Closes: no new jobs; waits for the running ones (unless `terminate`,
/// or a terminating close arrives meanwhile), then throws a
/// [`KeyboardInterrupt`] into those left, allows them 5 s, and terminates
/// the rest.
pub(super) async fn close(task: &TaskCtx, mut terminate: bool) {
    STATE.store(CLOSING, Ordering::Release);
    while !terminate && !running().is_empty() {
        let msg = task
            .receive_matching(|msg| msg.is::<ToServer>())
            .timeout(0.05)
            .await;
        if let Some(Ok(ToServer::Close {
            terminate: true, ..
        })) = msg.map(|m| m.downcast::<ToServer>())
        {
            terminate = true;
        }
    }
    let left = running();
    if left.is_empty() {
        return;
    }
    for job in &left {
        let _ = job.throw(KeyboardInterrupt);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while !running().is_empty() && Instant::now() < deadline {
        task.sleep(0.05).await;
    }
    for job in running() {
        let _ = job.terminate();
    }
}

/// Closes this server from a job's code (pycos' `dispycos_close_server`):
/// it waits for its jobs (this one too) unless `terminate`, and with
/// `restart` the node starts a fresh process in its place.
///
/// # Errors
///
/// When this process is not a dispycos server.
pub fn close_server(terminate: bool, restart: bool) -> Result<(), String> {
    let server = Node::current()
        .and_then(|node| node.scheduler().locate(SERVER_TASK))
        .ok_or("this process is not a dispycos server")?;
    server
        .send(ToServer::Close { terminate, restart })
        .map_err(|err| err.to_string())
}

/// Closes this server's node for its client, from a job's code (pycos'
/// `dispycos_close_node`).
///
/// # Errors
///
/// When this process is not a dispycos server.
pub fn close_node(terminate: bool) -> Result<(), String> {
    let node = NODE.get().ok_or("this process is not a dispycos server")?;
    node.send(ToNode::CloseNode { terminate })
        .map_err(|err| err.to_string())
}

use crate::Node;
