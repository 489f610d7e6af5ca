//! What the binaries ask about processes: whether this one runs in the
//! foreground of a terminal, and whether another one is alive and ours
//! (read from Linux's `/proc`; elsewhere nothing counts as ours, so nothing
//! is ever killed).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

/// The environment variable that marks a dispycos server process (the
/// node sets it on the servers it starts), so that `--clean` in a later
/// run can tell them from unrelated processes that reuse their ids.
pub use crate::dispycos::server::SERVER_ENV;

/// Whether standard input is a terminal and this process is in its
/// foreground process group: only then can a binary read commands, and it
/// runs as a daemon otherwise (as pycos' binaries do).
pub fn in_foreground() -> bool {
    let stdin = std::io::stdin();
    stdin.is_terminal()
        && rustix::termios::tcgetpgrp(&stdin).is_ok_and(|group| group == rustix::process::getpgrp())
}

/// The fields of `/proc/<pid>/stat` that identify a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProcessStat {
    /// Clock ticks after boot when it started: with the pid, this tells a
    /// process from a later one that got the same id.
    pub(crate) started: u64,
    parent: u32,
    /// Ended but not yet reaped (`Z`) or dead (`X`).
    ended: bool,
}

impl ProcessStat {
    /// The process `pid` as `/proc` shows it now, if it exists.
    pub(crate) fn of(pid: u32) -> Option<Self> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The command name (field 2) may hold spaces and parentheses, so
        // the fixed fields are counted from the last ')'.
        let (_, fields) = text.rsplit_once(')')?;
        let fields: Vec<&str> = fields.split_whitespace().collect();
        Some(Self {
            ended: matches!(fields.first(), Some(&("Z" | "X"))),
            parent: fields.get(1)?.parse().ok()?,
            started: fields.get(19)?.parse().ok()?,
        })
    }
}

/// Whether the process `pid` exists and has not ended.
pub(crate) fn is_alive(pid: u32) -> bool {
    ProcessStat::of(pid).is_some_and(|stat| !stat.ended)
}

/// Whether `pid` is alive, is the process that started at `started` (when
/// known), and is ours: our child, running our executable, or marked with
/// [`SERVER_ENV`]. Anything unreadable counts as not ours.
pub(crate) fn is_ours_and_alive(pid: u32, started: Option<u64>) -> bool {
    let Some(stat) = ProcessStat::of(pid) else {
        return false;
    };
    if stat.ended || started.is_some_and(|started| started != stat.started) {
        return false;
    }
    stat.parent == std::process::id() || runs_our_executable(pid) || has_server_marker(pid)
}

fn runs_our_executable(pid: u32) -> bool {
    // A rebuilt binary still running shows its old path with " (deleted)".
    fn undeleted(path: PathBuf) -> PathBuf {
        let text = path.to_string_lossy();
        text.strip_suffix(" (deleted)")
            .map(PathBuf::from)
            .unwrap_or(path)
    }
    let theirs = std::fs::read_link(format!("/proc/{pid}/exe")).map(undeleted);
    let ours = std::env::current_exe().map(undeleted);
    matches!((theirs, ours), (Ok(theirs), Ok(ours)) if theirs == ours)
}

fn has_server_marker(pid: u32) -> bool {
    let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
        return false;
    };
    let marker = format!("{SERVER_ENV}=");
    environ
        .split(|&byte| byte == 0)
        .any(|entry| entry.starts_with(marker.as_bytes()))
}

/// Sends SIGTERM to `pid`, then SIGKILL if it is still alive after a few
/// seconds; gives whether it ended.
pub(crate) fn stop(pid: u32) -> bool {
    let Some(target) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    [
        (Signal::TERM, Duration::from_secs(5)),
        (Signal::KILL, Duration::from_secs(2)),
    ]
    .into_iter()
    .any(|(signal, patience)| {
        // An error means it is gone or not ours to signal; either way
        // the wait below tells.
        let _ = rustix::process::kill_process(target, signal);
        ended_within(pid, patience)
    })
}

/// Waits up to `patience` for `pid` to end. A process that is not our
/// child cannot be waited for, so this looks at `/proc` every few
/// milliseconds; the wait is bounded and ends as soon as the process does.
fn ended_within(pid: u32, patience: Duration) -> bool {
    let deadline = Instant::now() + patience;
    loop {
        if !is_alive(pid) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_runs_our_executable() {
        let me = std::process::id();
        let stat = ProcessStat::of(me).expect("our own /proc entry");
        assert!(!stat.ended);
        assert!(is_ours_and_alive(me, Some(stat.started)));
        assert!(
            !is_ours_and_alive(me, Some(stat.started + 1)),
            "another start time"
        );
    }

    #[test]
    fn a_process_that_does_not_exist_is_not_ours() {
        // Above the largest pid Linux hands out (4194304).
        assert!(ProcessStat::of(4_999_999).is_none());
        assert!(!is_ours_and_alive(4_999_999, None));
    }

    #[test]
    fn without_a_terminal_on_stdin_nothing_is_in_the_foreground() {
        // Under CI (or `< /dev/null`) standard input is not a terminal.
        if !std::io::stdin().is_terminal() {
            assert!(!in_foreground());
        }
    }
}
