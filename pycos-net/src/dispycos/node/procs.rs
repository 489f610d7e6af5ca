//! The server processes of the client a node serves: started from the
//! cached executable in server mode, each with its own directory and
//! configuration file; a thread per process waits for its end and tells
//! the daemon task.

use std::os::unix::process::ExitStatusExt as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use pycos::Task;

use super::Daemon;
use crate::Location;
use crate::dispycos::proto::{ToNode, ToServer};
use crate::dispycos::server::{SERVER_ENV, ServerConfig};
use crate::dispycos::spawn::{kill, spawn_tied};

/// One server process.
#[derive(Debug)]
pub(super) struct ServerProc {
    pub(super) index: usize,
    pub(super) pid: u32,
    pub(super) dir: PathBuf,
    /// Its task, once it reported.
    pub(super) task: Option<Task>,
    pub(super) alive: bool,
    /// Start a fresh one when it ends.
    pub(super) restart: bool,
}

impl ServerProc {
    pub(super) fn location(&self) -> Option<Location> {
        self.task.as_ref().and_then(crate::Located::location)
    }

    /// Asks it to close (the task), or kills it when it never reported.
    pub(super) fn close(&self, terminate: bool, restart: bool) {
        match &self.task {
            Some(task) => {
                let _ = task.send(ToServer::Close { terminate, restart });
            }
            None if terminate => {
                let _ = kill(self.pid, rustix::process::Signal::KILL);
            }
            None => {}
        }
    }

    /// Kills it if it is still running after `grace`.
    pub(super) fn kill_after(&self, grace: Duration) {
        let pid = self.pid;
        std::thread::spawn(move || {
            std::thread::sleep(grace);
            // A pid reused by then would be another process's: only kill
            // one that is still our child (its parent is us).
            if is_our_child(pid) {
                let _ = kill(pid, rustix::process::Signal::KILL);
            }
        });
    }

    pub(super) fn remove_dir(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_our_child(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The parent pid is the second field after the command's ')'.
    let ppid = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(1))
        .and_then(|p| p.parse::<u32>().ok());
    ppid == Some(std::process::id())
}

/// Starts server `index` for the reserved client.
pub(super) fn spawn(daemon: &Daemon, index: usize) -> Result<ServerProc, String> {
    let reserved = daemon.reserved.as_ref().ok_or("no client")?;
    let (setup, exe) = reserved.setup.as_ref().ok_or("no setup")?;
    let dir = daemon.cfg.dir.join(format!("dispycos_server_{index}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let config = ServerConfig {
        index,
        name: format!("{}_server-{index}", daemon.cfg.name),
        host: daemon.node.location().ip(),
        port: daemon.cfg.ports.get(index).copied().unwrap_or(0),
        node: daemon.node.location(),
        scheduler: crate::Located::location(&reserved.scheduler).unwrap_or(daemon.node.location()),
        auth: reserved.auth.clone(),
        secret: daemon.cfg.secret.clone(),
        msg_timeout: daemon.cfg.msg_timeout.as_secs_f64(),
        dir: dir.clone(),
        setup: setup.clone(),
    };
    let config_path = dir.join(".dispycos_server");
    config
        .write(&config_path)
        .map_err(|err| format!("{}: {err}", config_path.display()))?;
    let mut command = Command::new(exe);
    command
        .env(SERVER_ENV, &config_path)
        .current_dir(&dir)
        .stdin(Stdio::null());
    let child =
        spawn_tied(&mut command).map_err(|err| format!("cannot start {}: {err}", exe.display()))?;
    let pid = child.id();
    let me = daemon.me.clone();
    std::thread::Builder::new()
        .name(format!("dispycos-wait-{index}"))
        .spawn(move || wait(child, index, me))
        .map_err(|err| format!("cannot watch server {index}: {err}"))?;
    tracing::info!(index, pid, "dispycos server started");
    Ok(ServerProc {
        index,
        pid,
        dir,
        task: None,
        alive: true,
        restart: false,
    })
}

fn wait(mut child: std::process::Child, index: usize, daemon: Task) {
    let pid = child.id();
    let (why, status) = match child.wait() {
        Ok(status) => match (status.code(), status.signal()) {
            (Some(code), _) => (format!("exited with status {code}"), Some(code)),
            (None, Some(signal)) => (format!("killed by signal {signal}"), None),
            (None, None) => ("ended".to_owned(), None),
        },
        Err(err) => (format!("cannot be waited for: {err}"), None),
    };
    let _ = daemon.send(ToNode::Exited {
        index,
        pid,
        why,
        status,
    });
}
