//! `dispycosnode`'s program, as a library function.

use std::io::BufRead as _;
use std::net::{IpAddr, Ipv4Addr};

use super::{DaemonCommand, DaemonConfig, NodeDaemon};
use crate::dispycos::cli::{NodeCommand, NodeOptions, Parsed, PidFile, in_foreground};

/// `dispycosnode`'s whole program on `args` (without the program name):
/// parse the options, start the daemon, read the interactive commands
/// when in the foreground, wait until it ends. Programs that start a
/// node of their own (the examples' local cluster) call it too.
///
/// # Errors
///
/// A one-line message: a bad option (naming it), a pid file in the way,
/// a node that cannot start.
pub fn node_main(args: impl IntoIterator<Item = String>) -> Result<(), String> {
    let options = match NodeOptions::parse(args).map_err(|e| e.to_string())? {
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
    let ncpu = crate::dispycos::avail::cpu_count();
    let servers = options.servers(ncpu).map_err(|e| e.to_string())?;
    let ports = options.ports(servers).map_err(|e| e.to_string())?;
    warn_unapplied(&options);
    let dest = options
        .dest_path
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("pycos"));
    let mut pid_file =
        PidFile::create(PidFile::path_in(&dest), options.clean).map_err(|e| e.to_string())?;
    let _ = pid_file.record(std::process::id());
    let name = options.name.clone().unwrap_or_else(host_name);
    let tls = match (&options.certfile, &options.keyfile) {
        (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
        (Some(cert), None) => Some((cert.clone(), cert.clone())),
        _ => None,
    };
    let config = DaemonConfig {
        name,
        host: options
            .hosts
            .first()
            .copied()
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        ext_host: options.ext_hosts.first().copied(),
        ports,
        servers,
        dir: dest.join("dispycos").join("node"),
        max_file_size: options.max_file_size,
        secret: options.secret.clone(),
        tls,
        serve: options.serve,
        msg_timeout: options.msg_timeout,
        peers: options.peers.clone(),
        // Never on loopback-only nodes: nothing leaves the machine.
        discover: options.peers.is_empty() && !options.hosts.iter().all(IpAddr::is_loopback),
    };
    let daemon = NodeDaemon::start(config).map_err(|e| e.to_string())?;
    if !options.daemon && in_foreground() {
        let commands = daemon.clone();
        std::thread::spawn(move || read_commands(&commands));
    }
    daemon.wait();
    drop(pid_file);
    Ok(())
}

/// The interactive commands, until end of input (which quits).
fn read_commands(daemon: &NodeDaemon) {
    println!("{}", NodeCommand::PROMPT);
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        match NodeCommand::parse(&line) {
            None => continue,
            Some(Err(err)) => eprintln!("{err}"),
            Some(Ok(command)) => {
                let command = match command {
                    NodeCommand::Status => DaemonCommand::Status,
                    NodeCommand::Close => DaemonCommand::Close,
                    NodeCommand::Quit => DaemonCommand::Quit,
                    NodeCommand::Terminate => DaemonCommand::Terminate,
                };
                daemon.command(command);
            }
        }
    }
    daemon.command(DaemonCommand::Quit);
}

fn host_name() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

/// Says which given options this node does not apply yet, rather than
/// ignoring them silently.
fn warn_unapplied(options: &NodeOptions) {
    let mut unapplied = Vec::new();
    if options.service.is_restricted() {
        unapplied.push("--service_start/--service_stop/--service_end");
    }
    if options.ipv4_udp_multicast {
        unapplied.push("--ipv4_udp_multicast");
    }
    if options.hosts.len() > 1 {
        unapplied.push("a second -i/--host (the first is used)");
    }
    if options.ext_hosts.len() > 1 {
        unapplied.push("a second --ext_host (the first is used)");
    }
    if options.zombie_period.is_some() || options.ping_interval.is_some() {
        unapplied.push(
            "--zombie_period/--ping_interval (the client's pulse and the scheduler's link decide)",
        );
    }
    for option in unapplied {
        eprintln!("dispycosnode: warning: {option} is not applied by this version");
    }
}
