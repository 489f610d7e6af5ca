//! The node the benchmark runs on: this executable started again as a
//! `dispycosnode` with 2 servers on 127.0.0.1, tied to this process
//! (the kernel kills it if the benchmark dies) and killed by pid when
//! [`LocalNode`] drops; and its peak memory, read from `/proc`.

use std::net::{Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pycos_net::Location;

use crate::DynError;

/// Set in the node's environment: its arguments, joined by [`ARG_SEP`].
const NODE_ROLE: &str = "PYCOS_DISPYCOS_BENCH_NODE";
/// Separates the node's arguments (a character no argument holds).
const ARG_SEP: char = '\u{1f}';
/// The secret of the node and of every client.
pub(crate) const SECRET: &str = "pycos dispycos bench";
/// How long the node may take to listen.
const START_PATIENCE: Duration = Duration::from_secs(20);

/// Runs this process as the node when the benchmark started it so; gives
/// the exit status. `None`: this is not the node.
pub(crate) fn serve_if_node() -> Option<i32> {
    let args = std::env::var(NODE_ROLE).ok()?;
    let args = args
        .split(ARG_SEP)
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    Some(match pycos_net::dispycos::node_main(args) {
        Ok(()) => 0,
        Err(why) => {
            eprintln!("error: dispycosnode: {why}");
            1
        }
    })
}

/// The node process, killed (with its servers, by the parent-death
/// signal) when dropped.
#[derive(Debug)]
pub(crate) struct LocalNode {
    child: Child,
    location: Location,
    dest: PathBuf,
}

impl LocalNode {
    /// Starts a node with `servers` servers on 127.0.0.1, at a free port
    /// and the ones after it.
    pub(crate) fn start(servers: usize) -> Result<LocalNode, DynError> {
        let count = u16::try_from(servers + 1).map_err(|_| "too many servers")?;
        let port = free_ports(count)?;
        let dest =
            std::env::temp_dir().join(format!("pycos-dispycos-bench-{}", std::process::id()));
        let last = port + (count - 1);
        let args = [
            "-c".to_owned(),
            servers.to_string(),
            "-i".to_owned(),
            "127.0.0.1".to_owned(),
            "--node_ports".to_owned(),
            format!("{port}-{last}"),
            "--dest_path".to_owned(),
            dest.display().to_string(),
            "--clean".to_owned(),
            "--daemon".to_owned(),
            "-s".to_owned(),
            SECRET.to_owned(),
        ];
        let mut command = Command::new(std::env::current_exe()?);
        command
            .env(NODE_ROLE, args.join(&ARG_SEP.to_string()))
            .stdin(Stdio::null());
        let child = pycos_net::dispycos::spawn_tied(&mut command)?;
        let location = Location::new(Ipv4Addr::LOCALHOST.into(), port);
        Ok(LocalNode {
            child,
            location,
            dest,
        })
    }

    /// The node daemon's location.
    pub(crate) fn location(&self) -> Location {
        self.location
    }

    /// Waits until the daemon accepts connections (as the anchor waits
    /// for its node's port before it starts the client).
    pub(crate) fn wait_listening(&self) -> Result<(), DynError> {
        let addr = self.location.socket_addr();
        let deadline = Instant::now() + START_PATIENCE;
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if Instant::now() > deadline {
                return Err(
                    format!("the node did not listen at {addr} in {START_PATIENCE:?}").into(),
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }

    /// The node process's pid.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// The peak resident memory (`VmHWM`) of the node process `node` plus
/// each of its children (the servers), in MiB: the processes must be
/// alive to be counted, so call it before the client closes.
pub(crate) fn peak_rss_mib(node: u32) -> Result<f64, DynError> {
    let mut kib = vm_hwm_kib(node)?;
    for pid in children_of(node)? {
        // A child may end between the listing and the read.
        kib += vm_hwm_kib(pid).unwrap_or(0);
    }
    Ok(kib as f64 / 1024.0)
}

impl Drop for LocalNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dest);
    }
}

/// The first of `count` consecutive ports free on 127.0.0.1, below the
/// kernel's ephemeral range (32768 and up by default), so that no
/// outgoing connection takes one of them before the node's servers bind
/// it.
fn free_ports(count: u16) -> Result<u16, DynError> {
    let start = 20_000 + (std::process::id() % 1000) as u16 * 10;
    (0..100u16)
        .map(|i| 20_000 + (start - 20_000 + i * 50) % 12_000)
        .find(|&first| {
            // All held at once: each must be free beside the others.
            let held: Vec<_> = (first..first + count)
                .map_while(|port| std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).ok())
                .collect();
            held.len() == usize::from(count)
        })
        .ok_or_else(|| format!("no {count} consecutive free ports on 127.0.0.1").into())
}

/// `VmHWM` of `pid`, in KiB.
fn vm_hwm_kib(pid: u32) -> Result<u64, DynError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no VmHWM in /proc/{pid}/status").into())
}

/// The pids whose parent is `parent`, from every `/proc/<pid>/stat`.
fn children_of(parent: u32) -> Result<Vec<u32>, DynError> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Some(pid) = entry?
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The fields after the command name (in parentheses): state, ppid.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if ppid == Some(parent) {
            children.push(pid);
        }
    }
    Ok(children)
}
