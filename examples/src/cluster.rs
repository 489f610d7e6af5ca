//! A dispycos node on loopback for the dispycos examples: the example's
//! own executable, started again as a `dispycosnode` (see
//! [`pycos_net::dispycos::node_main`]), so an example runs on one machine
//! with one command and no other program built.
//!
//! An example calls [`serve_if_node`] first in `main`; [`LocalNode::start`]
//! then starts the node process, which is killed by its pid when the
//! handle drops (and by the kernel if the example dies: the parent-death
//! signal is set).

use std::process::{Child, Command, Stdio};

use pycos_net::Location;

/// The environment variable that makes an example run as a node.
const NODE_ROLE: &str = "PYCOS_EXAMPLE_NODE_ARGS";

/// Runs this process as a node daemon when an example started it so;
/// gives the exit status. `None`: run the example.
pub fn serve_if_node() -> Option<i32> {
    let args = std::env::var(NODE_ROLE).ok()?;
    let args = args
        .split('\u{1f}')
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

/// A node process started by the example.
#[derive(Debug)]
pub struct LocalNode {
    child: Child,
    location: Location,
}

impl LocalNode {
    /// Starts a node with `servers` server processes on 127.0.0.1, its
    /// daemon at `port` and the servers on the ports after it, with the
    /// secret `secret`, its files under `dest`.
    ///
    /// # Errors
    ///
    /// When the process cannot be started.
    pub fn start(
        servers: usize,
        port: u16,
        secret: &str,
        dest: &std::path::Path,
    ) -> std::io::Result<LocalNode> {
        let args = [
            "-c".to_owned(),
            servers.to_string(),
            "-i".to_owned(),
            "127.0.0.1".to_owned(),
            "--node_ports".to_owned(),
            format!("{port}-{}", port + servers as u16),
            "--dest_path".to_owned(),
            dest.display().to_string(),
            "--clean".to_owned(),
            "--daemon".to_owned(),
            "-s".to_owned(),
            secret.to_owned(),
        ];
        let child = Command::new(std::env::current_exe()?)
            .env(NODE_ROLE, args.join("\u{1f}"))
            .stdin(Stdio::null())
            .spawn()?;
        let location = Location::new(std::net::Ipv4Addr::LOCALHOST.into(), port);
        Ok(LocalNode { child, location })
    }

    /// The node daemon's location.
    pub fn location(&self) -> Location {
        self.location
    }

    /// The node process's pid.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for LocalNode {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
