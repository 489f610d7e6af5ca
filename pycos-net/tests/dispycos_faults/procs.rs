//! The processes of the fault tests: nodes and clients that are this test
//! executable run again in a role, each killed by its pid when its handle
//! drops, and the server processes of a node (its children).

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use pycos_net::Location;

/// The environment variable that gives a process its role.
pub(crate) const ROLE: &str = "PYCOS_FAULT_TEST_ROLE";
/// The arguments of the role, separated by `\u{1f}`.
pub(crate) const ARGS: &str = "PYCOS_FAULT_TEST_ARGS";

/// This executable, started again as `role` with `args`.
pub(crate) fn start(role: &str, args: &[String]) -> std::io::Result<Child> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .env(ROLE, role)
        .env(ARGS, args.join("\u{1f}"))
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    pycos_net::dispycos::spawn_tied(&mut command)
}

/// The role's arguments, in the child.
pub(crate) fn role_args() -> Vec<String> {
    std::env::var(ARGS)
        .unwrap_or_default()
        .split('\u{1f}')
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A node with its servers.
pub(crate) struct NodeProc {
    pub(crate) child: Child,
    pub(crate) location: Location,
    pub(crate) dest: PathBuf,
    /// Every line the node printed so far (read on a thread of its own,
    /// so the pipe never fills).
    lines: Arc<Mutex<Vec<String>>>,
}

impl NodeProc {
    pub(crate) fn start(tag: &str, servers: usize, secret: &str) -> NodeProc {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let dest = std::env::temp_dir().join(format!("pycos-fault-{tag}-{}", std::process::id()));
        let args: Vec<String> = [
            "-c",
            &servers.to_string(),
            "-i",
            "127.0.0.1",
            "--node_ports",
            &format!("{port}-{}", port + servers as u16),
            "--dest_path",
            &dest.display().to_string(),
            "--clean",
            "--daemon",
            "-s",
            secret,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut child = start("node", &args).expect("start a node process");
        let lines = Arc::new(Mutex::new(Vec::new()));
        if let Some(stdout) = child.stdout.take() {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    lines.lock().unwrap_or_else(|p| p.into_inner()).push(line);
                }
            });
        }
        NodeProc {
            child,
            location: Location::new(std::net::Ipv4Addr::LOCALHOST.into(), port),
            dest,
            lines,
        }
    }

    /// The index of the server at `location`, from the node's
    /// `dispycos server N at LOCATION` lines.
    pub(crate) fn server_index(&self, location: Location) -> Option<usize> {
        let suffix = format!(" at {location}");
        let lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        lines.iter().find_map(|line| {
            line.strip_suffix(&suffix)?
                .strip_prefix("dispycos server ")?
                .parse()
                .ok()
        })
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The node's directory of cached executables.
    pub(crate) fn exe_cache(&self) -> PathBuf {
        self.dest.join("dispycos").join("node").join("exe")
    }

    /// The pids of the node's server processes (its children).
    pub(crate) fn server_pids(&self) -> Vec<u32> {
        children_of(self.pid())
    }

    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dest);
    }
}

/// A child process killed (and reaped) when dropped.
pub(crate) struct Guard(pub(crate) Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The children of `pid`, from `/proc/<pid>/task/*/children`.
pub(crate) fn children_of(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    let mut pids: Vec<u32> = tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|text| {
            text.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect();
    pids.sort_unstable();
    pids
}

/// Whether `pid` is a live process (not gone, not a zombie).
pub(crate) fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().starts_with('Z'))
        })
        .is_some_and(|zombie| !zombie)
}
