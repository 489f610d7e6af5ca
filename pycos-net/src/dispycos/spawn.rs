//! Starting server processes that never outlive their node, and signalling
//! processes by pid.
//!
//! pycos' node forks a spawn process that forks the servers, and kills
//! stale ones from a pid file on the next start (`--clean`). A node that
//! is killed outright leaves its servers running there, still reserved
//! for a client that may be gone. Here each server is started with
//! Linux's parent-death signal (`prctl(PR_SET_PDEATHSIG, SIGKILL)`): the
//! kernel kills it as soon as its node dies, however the node dies.
//!
//! # Caveats
//!
//! - The kernel sends the signal when the *thread* that started the child
//!   exits, not only the process. Start servers from a thread that lives
//!   as long as the node: its scheduler thread, never a pool thread or a
//!   thread spawned for the purpose.
//! - A child that execs a set-user-ID or set-group-ID program, or one with
//!   file capabilities, loses the setting; server executables are neither.
//! - The child stays in the node's process group, so a Ctrl-C at the
//!   node's terminal reaches its servers too, as it does in pycos.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

use rustix::process::{Pid, Signal};

/// Starts `cmd` as a child that the kernel kills (SIGKILL) when the thread
/// calling this exits, which is when the process does for a thread that
/// lives as long as it: spawn from a thread that lives as long as the
/// process (a scheduler's thread does).
///
/// If the caller dies between the fork and the child setting the signal,
/// that signal never comes; so the child checks, once it is set, that its
/// parent is still the caller, and exits before running the program if
/// not. Spawning the same `cmd` again is fine: the setting is repeated.
///
/// # Errors
///
/// Whatever [`Command::spawn`] gives, including the error of setting the
/// signal in the child.
pub fn spawn_tied(cmd: &mut Command) -> io::Result<Child> {
    let parent = rustix::process::getpid();
    die_with_parent(cmd, parent);
    cmd.spawn()
}

/// Has the child of `cmd` set its parent-death signal, and give up if its
/// parent is no longer `parent` by then.
#[allow(unsafe_code)]
fn die_with_parent(cmd: &mut Command, parent: Pid) {
    // SAFETY: the closure runs in the forked child, where only
    // async-signal-safe calls are sound. It makes two plain system calls
    // (rustix's `prctl` and `getppid`, raw syscalls that neither allocate
    // nor lock) and builds an `io::Error` from an errno, which does not
    // allocate either. An `Err` makes std's child `_exit` before the exec,
    // and report the error to the parent when it is still there.
    unsafe {
        cmd.pre_exec(move || {
            rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
            if rustix::process::getppid() != Some(parent) {
                // Reparented: the caller died before the signal was set.
                return Err(rustix::io::Errno::SRCH.into());
            }
            Ok(())
        });
    }
}

/// What became of a signal sent by pid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signalled {
    /// The process was there and the signal was sent to it.
    Sent,
    /// No process has that pid: it exited and was reaped already.
    Gone,
}

/// Sends `signal` to the process `pid`, a dead one included.
///
/// Prefer [`Child::kill`] on a child whose [`Child`] you hold: once a
/// process is reaped, its pid may be given to another. This is for pids
/// known otherwise, such as a pid file's.
///
/// # Errors
///
/// `InvalidInput` for a pid that does not name one process (0, or above
/// `i32::MAX`, which `kill(2)` would take as a process group), and the
/// system's error when the signal may not be sent (another user's
/// process).
pub(crate) fn kill(pid: u32, signal: Signal) -> io::Result<Signalled> {
    let pid = i32::try_from(pid)
        .ok()
        .and_then(Pid::from_raw)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, not_a_process(pid)))?;
    match rustix::process::kill_process(pid, signal) {
        Ok(()) => Ok(Signalled::Sent),
        Err(rustix::io::Errno::SRCH) => Ok(Signalled::Gone),
        Err(errno) => Err(errno.into()),
    }
}

fn not_a_process(pid: u32) -> String {
    format!("pid {pid} does not name one process")
}

/// Asks the process `pid` to stop (SIGTERM), as [`kill`] does.
///
/// # Errors
///
/// As [`kill`].
#[cfg(test)]
pub(crate) fn terminate(pid: u32) -> io::Result<Signalled> {
    kill(pid, Signal::TERM)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    use std::process::{ExitStatus, Stdio};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    /// Set in the copy of the test binary that plays the node: which way
    /// it ends once it has started its child.
    const ROLE: &str = "PYCOS_SPAWN_TEST_ROLE";
    /// How the copy tells the test its child's pid, after the test
    /// harness's own text on the same line.
    const PID_LINE: &str = "tied child pid ";
    /// The longest any wait here may take before the test fails.
    const PATIENCE: Duration = Duration::from_secs(10);

    /// Kills what a test started, on every path out of it.
    #[derive(Default)]
    struct Cleanup {
        children: Vec<Child>,
        pids: Vec<u32>,
    }

    impl Drop for Cleanup {
        fn drop(&mut self) {
            for child in &mut self.children {
                let _ = child.kill();
                let _ = child.wait();
            }
            for &pid in &self.pids {
                if is_running(pid) {
                    let _ = kill(pid, Signal::KILL);
                }
                // Reaps it when it came back to this process (see
                // `start_node`); any other pid answers ECHILD at once.
                if let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) {
                    let _ =
                        rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::empty());
                }
            }
        }
    }

    /// Whether `pid` is a process that has not exited. A killed orphan
    /// may stay a zombie until something reaps it (a container's init may
    /// never do so), which counts as exited.
    fn is_running(pid: u32) -> bool {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            return false;
        };
        // The state follows the command name, which is in parentheses.
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next());
        !matches!(state, Some('Z' | 'X') | None)
    }

    /// Waits, up to [`PATIENCE`], for `pid` to be gone.
    fn wait_until_gone(pid: u32) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if !is_running(pid) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn sleeper() -> Command {
        let mut sleep = Command::new("sleep");
        sleep
            .arg("60")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        sleep
    }

    /// Runs this test again in a copy of the test binary with `role` set,
    /// and gives the copy and the pid of the child it started.
    fn start_node(test: &str, role: &str, cleanup: &mut Cleanup) -> (u32, u32) {
        // The node's orphaned child then comes to this process to be
        // reaped, not to a container's init that may never reap it.
        let me = rustix::process::getpid();
        rustix::process::set_child_subreaper(Some(me)).expect("PR_SET_CHILD_SUBREAPER");
        let test_path = format!(
            "{}::{test}",
            module_path!().split_once("::").map_or("", |(_, p)| p)
        );
        let mut node = Command::new(std::env::current_exe().expect("the test binary's path"))
            .args(["--exact", &test_path, "--nocapture", "--test-threads=1"])
            .env(ROLE, role)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the test binary starts again");
        let node_pid = node.id();
        let stdout = node.stdout.take().expect("a piped stdout");
        cleanup.children.push(node);
        let (sender, pids) = mpsc::channel();
        std::thread::spawn(move || {
            let pid = BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .find_map(|line| line.split_once(PID_LINE)?.1.trim().parse::<u32>().ok());
            let _ = sender.send(pid);
        });
        let child = pids
            .recv_timeout(PATIENCE)
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                panic!("the node process printed no child pid (is {test_path} the test's path?)")
            });
        cleanup.pids.push(child);
        (node_pid, child)
    }

    /// The node's side: start a tied child, say its pid, then end as
    /// `role` says.
    #[expect(
        clippy::zombie_processes,
        reason = "the child is meant to outlive this process's wait: its death is what is tested"
    )]
    fn play_node(role: &str) {
        let child = spawn_tied(&mut sleeper()).expect("sleep starts");
        println!("{PID_LINE}{}", child.id());
        match role {
            // The whole process ends while the thread that spawned is alive.
            "exit" => std::process::exit(0),
            // Wait to be killed; the test's end closes stdin otherwise.
            _ => {
                let _ = io::stdin().lines().count();
                std::process::exit(1);
            }
        }
    }

    #[test]
    fn a_tied_child_dies_when_its_parent_process_exits() {
        if let Ok(role) = std::env::var(ROLE) {
            return play_node(&role);
        }
        let mut cleanup = Cleanup::default();
        let (_, child) = start_node(
            "a_tied_child_dies_when_its_parent_process_exits",
            "exit",
            &mut cleanup,
        );
        assert!(
            wait_until_gone(child),
            "the tied child {child} outlived its exited parent"
        );
    }

    #[test]
    fn a_tied_child_dies_when_its_parent_is_killed() {
        if let Ok(role) = std::env::var(ROLE) {
            return play_node(&role);
        }
        let mut cleanup = Cleanup::default();
        let (node, child) = start_node(
            "a_tied_child_dies_when_its_parent_is_killed",
            "hang",
            &mut cleanup,
        );
        assert!(
            is_running(child),
            "the tied child {child} runs while its parent does"
        );
        assert_eq!(
            kill(node, Signal::KILL).expect("the node is ours"),
            Signalled::Sent
        );
        assert!(
            wait_until_gone(child),
            "the tied child {child} outlived its killed parent"
        );
    }

    #[test]
    fn a_tied_child_dies_when_the_thread_that_spawned_it_exits() {
        // The documented caveat, in-process: the spawning thread ends.
        let child = std::thread::spawn(|| spawn_tied(&mut sleeper()))
            .join()
            .expect("the spawning thread did not panic")
            .expect("sleep starts");
        let mut cleanup = Cleanup::default();
        cleanup.children.push(child);
        let child = &mut cleanup.children[0];
        let pid = child.id();
        let status = wait_for_exit(child)
            .unwrap_or_else(|| panic!("the tied child {pid} outlived its thread"));
        assert_eq!(status.signal(), Some(Signal::KILL.as_raw()), "{status}");
    }

    fn wait_for_exit(child: &mut Child) -> Option<ExitStatus> {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if let Some(status) = child.try_wait().expect("the child can be waited for") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    #[test]
    fn signalling_a_reaped_pid_reports_it_gone() {
        let mut child = Command::new("true").spawn().expect("true starts");
        let pid = child.id();
        child.wait().expect("true exits");
        assert_eq!(
            terminate(pid).expect("no error for a dead pid"),
            Signalled::Gone
        );
    }

    #[test]
    fn pids_that_name_groups_are_refused() {
        for pid in [0, u32::MAX, 1 << 31] {
            let error = kill(pid, Signal::TERM).expect_err("not one process");
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{pid}");
        }
    }
}
