//! The standalone scheduler, `dispycos` (pycos' `dispycos.py`): serves
//! clients of other processes and machines, one at a time, in the order
//! they schedule.

use std::io::BufRead as _;
use std::net::{IpAddr, Ipv4Addr, ToSocketAddrs as _};

use super::{Overrides, PrintStatus, start_with};
use crate::dispycos::cli::{Parsed, SchedulerCommand, SchedulerOptions, in_foreground};
use crate::{Location, Node};

/// `dispycos`'s whole program on `args` (without the program name):
/// parse the options, start the scheduler's node (named
/// `dispycos_scheduler` unless `--name` says otherwise) and the
/// scheduler, peer the `--node`s, and read `status` / `quit` when in the
/// foreground (else run until killed).
///
/// # Errors
///
/// A one-line message: a bad option (naming it), a node that cannot start.
pub fn scheduler_main(args: impl IntoIterator<Item = String>) -> Result<(), String> {
    let options = match SchedulerOptions::parse(args).map_err(|e| e.to_string())? {
        Parsed::Run(options) => options,
        Parsed::Help(text) => {
            print!("{text}");
            return Ok(());
        }
        Parsed::ConfigSaved(path) => {
            println!("configuration saved in {}", path.display());
            return Ok(());
        }
    };
    let dest = options
        .dest_path
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("pycos"))
        .join("dispycos")
        .join("scheduler");
    if options.clean {
        let _ = std::fs::remove_dir_all(&dest);
    }
    let node = start_node(&options, &dest)?;
    crate::dispycos::proto::register();
    let overrides = Overrides {
        zombie_period: options.zombie_period.map(|z| z.as_secs_f64()),
    };
    let scheduler = start_with(&node, overrides);
    for host in &options.nodes {
        let location = resolve(host, options.node_port)?;
        let node = node.clone();
        node.scheduler()
            .spawn(super::peer_with(node.clone(), location));
    }
    println!("dispycos scheduler at {}", node.location());
    if options.daemon || !in_foreground() {
        // Runs until the process is killed.
        loop {
            std::thread::park();
        }
    }
    println!("{}", SchedulerCommand::PROMPT);
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        match SchedulerCommand::parse(&line) {
            None => {}
            Some(Err(err)) => eprintln!("{err}"),
            Some(Ok(SchedulerCommand::Status)) => {
                let _ = scheduler.send(PrintStatus);
            }
            Some(Ok(SchedulerCommand::Quit)) => return Ok(()),
        }
    }
    // End of input is ignored, as pycos does: serve until killed.
    loop {
        std::thread::park();
    }
}

fn start_node(options: &SchedulerOptions, dest: &std::path::Path) -> Result<Node, String> {
    let host = options
        .hosts
        .first()
        .copied()
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let name = if options.name.is_empty() {
        "dispycos_scheduler"
    } else {
        &options.name
    };
    let mut builder = Node::builder()
        .name(name)
        .host(host)
        .tcp_port(options.scheduler_port)
        // Never on loopback-only schedulers: nothing leaves the machine.
        .discover(!options.hosts.iter().all(IpAddr::is_loopback))
        .secret(&options.secret)
        .dest_path(dest);
    if let Some(ext) = options.ext_hosts.first() {
        builder = builder.advertise(*ext);
    }
    if let Some(bytes) = options.max_file_size {
        builder = builder.max_file_size(bytes);
    }
    if let Some(cert) = &options.certfile {
        builder = builder.tls(cert, options.keyfile.as_ref().unwrap_or(cert));
    }
    builder.start().map_err(|e| e.to_string())
}

/// A `--node` value: an address, or a host name, at `port`.
fn resolve(host: &str, port: u16) -> Result<Location, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(Location::new(ip, port));
    }
    (host, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .map(Location::from)
        .ok_or_else(|| format!("--node {host}: no such host"))
}
