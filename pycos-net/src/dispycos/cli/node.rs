//! The options of `dispycosnode`, the daemon that runs dispycos servers on
//! a computer (pycos `dispycosnode.py`).

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use super::args::{self, ConfigArgs, Parsed};
use super::values::{PortRange, parse_seconds, parse_size};
use super::{CliError, ServiceWindow, TimeOfDay};
use crate::Location;

/// The command line of `dispycosnode`, as clap reads it, before the checks
/// that relate one option to another.
#[derive(Debug, Parser)]
#[command(
    name = "dispycosnode",
    about = "Runs dispycos servers on this computer for dispycos clients.",
    rename_all = "snake_case",
    disable_version_flag = true
)]
struct NodeArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Server processes to run: 0 for one per CPU; a negative number leaves
    /// that many CPUs unused
    #[arg(
        short,
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    cpus: i32,
    /// IP address to listen on (repeatable) [default: every interface]
    #[arg(short = 'i', long = "host", value_name = "IP")]
    hosts: Vec<IpAddr>,
    /// IP address to advertise, such as a NAT gateway's (repeatable)
    #[arg(long = "ext_host", value_name = "IP")]
    ext_hosts: Vec<IpAddr>,
    /// Use multicast instead of broadcast for IPv4 discovery
    #[arg(long)]
    ipv4_udp_multicast: bool,
    /// Name of the node; its pycos name is <NAME>_dispycosnode [default: the host name]
    #[arg(short, long)]
    name: Option<String>,
    /// Port of dispycos schedulers (UDP discovery)
    #[arg(
        long,
        value_name = "PORT",
        allow_negative_numbers = true,
        default_value_t = 9705
    )]
    scheduler_port: u16,
    /// TCP ports of the node, then of each server: a port or a range A-B
    /// (repeatable), continued one by one as needed [default: SCHEDULER_PORT + 1]
    #[arg(long, value_name = "PORT|A-B")]
    node_ports: Vec<PortRange>,
    /// Where files from clients are kept, under <PATH>/dispycos/node [default: <temp dir>/pycos]
    #[arg(long, value_name = "PATH")]
    dest_path: Option<PathBuf>,
    /// Largest file a client may send: bytes, or with a k, m, g or t suffix [default: no limit]
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_file_size: Option<u64>,
    /// Secret that peers must share to connect
    #[arg(short, long, default_value = "")]
    secret: String,
    /// TLS certificate file (PEM)
    #[arg(long, value_name = "FILE")]
    certfile: Option<PathBuf>,
    /// TLS private key file (PEM), if not in the certificate file
    #[arg(long, value_name = "FILE")]
    keyfile: Option<PathBuf>,
    /// Clients to serve before exiting; -1 for no limit
    #[arg(long, value_name = "N", default_value_t = -1, allow_negative_numbers = true)]
    serve: i64,
    /// Daily time (HH:MM) to start service; needs --service_stop or --service_end
    #[arg(long, value_name = "HH:MM")]
    service_start: Option<TimeOfDay>,
    /// Daily time (HH:MM) to take no new clients; running jobs finish
    #[arg(long, value_name = "HH:MM")]
    service_stop: Option<TimeOfDay>,
    /// Daily time (HH:MM) to end service: running jobs are terminated
    #[arg(long, value_name = "HH:MM")]
    service_end: Option<TimeOfDay>,
    /// Seconds to wait for a message to be delivered (at least 1)
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, default_value = "10", value_parser = parse_seconds)]
    msg_timeout: Duration,
    /// Shortest pulse interval clients may ask for, in seconds (at least --msg_timeout)
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, default_value = "10", value_parser = parse_seconds)]
    min_pulse_interval: Duration,
    /// Longest pulse interval clients may ask for, in seconds (at least --min_pulse_interval)
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, default_value = "100", value_parser = parse_seconds)]
    max_pulse_interval: Duration,
    /// Seconds a client may stay idle before it is closed; 0 for never
    /// (else at least --min_pulse_interval)
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, default_value = "0", value_parser = parse_seconds)]
    zombie_period: Duration,
    /// Seconds between announcements of the node; 0 for none after the first
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, default_value = "0", value_parser = parse_seconds)]
    ping_interval: Duration,
    /// Do not read commands from standard input
    #[arg(long)]
    daemon: bool,
    /// Kill the processes of a previous node recorded in its pid file
    #[arg(long)]
    clean: bool,
    /// A peer to contact directly, as IP:PORT (repeatable)
    #[arg(long = "peer", alias = "peers", value_name = "IP:PORT")]
    peers: Vec<Location>,
    /// Print debug messages
    #[arg(short, long, alias = "loglevel")]
    debug: bool,
}

/// Every option of `dispycosnode`, parsed and checked.
///
/// Options pycos spells with a special value are typed here: `None` for
/// "no limit" or "off" (`--serve -1`, `--zombie_period 0`, ...).
///
/// ```
/// use pycos_net::dispycos::cli::{NodeOptions, Parsed};
///
/// let args = ["--cpus", "-1", "--node_ports", "9800-9810"].map(String::from);
/// let Parsed::Run(options) = NodeOptions::parse(args)? else { unreachable!() };
/// let servers = options.servers(4)?;
/// assert_eq!(servers, 3);
/// assert_eq!(options.ports(servers)?, [9800, 9801, 9802, 9803]);
/// # Ok::<(), pycos_net::dispycos::cli::CliError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NodeOptions {
    /// `-c/--cpus`: 0 for all CPUs, negative to leave that many unused;
    /// see [`NodeOptions::servers`].
    pub cpus: i32,
    /// `-i/--host`: addresses to listen on; empty for all.
    pub hosts: Vec<IpAddr>,
    /// `--ext_host`: addresses to advertise instead.
    pub ext_hosts: Vec<IpAddr>,
    /// `--ipv4_udp_multicast`.
    pub ipv4_udp_multicast: bool,
    /// `-n/--name`; `None` for the host name.
    pub name: Option<String>,
    /// `--scheduler_port` (9705).
    pub scheduler_port: u16,
    /// `--node_ports` as given; see [`NodeOptions::ports`].
    pub node_ports: Vec<PortRange>,
    /// `--dest_path`; `None` for `<temp dir>/pycos`.
    pub dest_path: Option<PathBuf>,
    /// `--max_file_size` in bytes; `None` for no limit.
    pub max_file_size: Option<u64>,
    /// `-s/--secret` ("" for none).
    pub secret: String,
    /// `--certfile`, made absolute.
    pub certfile: Option<PathBuf>,
    /// `--keyfile`, made absolute.
    pub keyfile: Option<PathBuf>,
    /// `--serve`: clients to serve before exiting; `None` for no limit.
    pub serve: Option<u64>,
    /// `--service_start`, `--service_stop`, `--service_end`.
    pub service: ServiceWindow,
    /// `--msg_timeout` (10 s).
    pub msg_timeout: Duration,
    /// `--min_pulse_interval` (10 s).
    pub min_pulse_interval: Duration,
    /// `--max_pulse_interval` (100 s).
    pub max_pulse_interval: Duration,
    /// `--zombie_period`; `None` (the default) for never.
    pub zombie_period: Option<Duration>,
    /// `--ping_interval`; `None` (the default) for no periodic announcement.
    pub ping_interval: Option<Duration>,
    /// `--daemon`: do not read standard input.
    pub daemon: bool,
    /// `--clean`: stop the processes of a stale node first.
    pub clean: bool,
    /// `--peer`: peers to contact directly.
    pub peers: Vec<Location>,
    /// `-d/--debug`.
    pub debug: bool,
}

impl NodeOptions {
    /// Parses the command line `args` (without the program name).
    ///
    /// `--config FILE` loads a configparser-style INI file (`[DEFAULT]`
    /// section, keys are the long option names) whose values are defaults
    /// that the command line overrides. `--save_config FILE` writes the
    /// effective options there and gives [`Parsed::ConfigSaved`].
    ///
    /// # Errors
    ///
    /// A bad value, an unknown option, a bad config file, or options that
    /// contradict each other; the one-line message names the option.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Parsed<Self>, CliError> {
        args::parse(args, NodeArgs::validate)
    }

    /// The number of server processes to run on `ncpu` CPUs: all for
    /// `--cpus 0`, that many for a positive value, and `ncpu` less that
    /// many for a negative one.
    ///
    /// # Errors
    ///
    /// More CPUs than there are, or a negative value that leaves none.
    pub fn servers(&self, ncpu: usize) -> Result<usize, CliError> {
        let count = usize::try_from(self.cpus.unsigned_abs()).unwrap_or(usize::MAX);
        let here = match ncpu {
            1 => "the only CPU here".to_owned(),
            n => format!("the {n} CPUs here"),
        };
        match self.cpus {
            0 => Ok(ncpu),
            1.. if count <= ncpu => Ok(count),
            1.. => Err(CliError::option(
                "cpus",
                format!("{} is more than {here}", self.cpus),
            )),
            _ if count < ncpu => Ok(ncpu - count),
            _ => Err(CliError::option(
                "cpus",
                format!("{} leaves none of {here}", self.cpus),
            )),
        }
    }

    /// The node's TCP port followed by one for each of `servers` servers.
    ///
    /// The ports of `--node_ports` are taken lowest first, duplicates once;
    /// when they are too few, the list goes on from the last one (port 0,
    /// "any free port", goes on as 0). Without `--node_ports` it starts at
    /// `--scheduler_port` + 1 (9706), or 0 when the scheduler port is 0.
    ///
    /// # Errors
    ///
    /// The list would go past port 65535.
    pub fn ports(&self, servers: usize) -> Result<Vec<u16>, CliError> {
        let wanted = servers.saturating_add(1);
        // The lowest `wanted` ports of a union are among the lowest
        // `wanted` of each range, so a huge range is never expanded.
        let given: BTreeSet<u16> = self
            .node_ports
            .iter()
            .flat_map(|range| range.ports().take(wanted))
            .collect();
        let mut ports: Vec<u16> = given.into_iter().take(wanted).collect();
        if ports.is_empty() {
            ports.push(self.default_node_port()?);
        }
        while let Some(&last) = ports.last().filter(|_| ports.len() < wanted) {
            let next = match last {
                0 => 0,
                _ => last.checked_add(1).ok_or_else(|| {
                    let detail = format!("{wanted} ports are needed, but they run out at {last}");
                    CliError::option("node_ports", detail)
                })?,
            };
            ports.push(next);
        }
        Ok(ports)
    }

    fn default_node_port(&self) -> Result<u16, CliError> {
        match self.scheduler_port {
            0 => Ok(0),
            port => port.checked_add(1).ok_or_else(|| {
                let detail = format!("{port} leaves no node port after it; give --node_ports");
                CliError::option("scheduler_port", detail)
            }),
        }
    }
}

impl NodeArgs {
    /// The checks between options, then the typed options.
    fn validate(self) -> Result<NodeOptions, CliError> {
        check_timing(&self)?;
        let service = ServiceWindow::new(self.service_start, self.service_stop, self.service_end)?;
        Ok(NodeOptions {
            cpus: self.cpus,
            hosts: self.hosts,
            ext_hosts: self.ext_hosts,
            ipv4_udp_multicast: self.ipv4_udp_multicast,
            name: self.name.filter(|name| !name.is_empty()),
            scheduler_port: self.scheduler_port,
            node_ports: self.node_ports,
            dest_path: self.dest_path,
            max_file_size: self.max_file_size.filter(|&size| size > 0),
            secret: self.secret,
            certfile: absolute("certfile", self.certfile)?,
            keyfile: absolute("keyfile", self.keyfile)?,
            serve: clients_to_serve(self.serve)?,
            service,
            msg_timeout: self.msg_timeout,
            min_pulse_interval: self.min_pulse_interval,
            max_pulse_interval: self.max_pulse_interval,
            zombie_period: nonzero(self.zombie_period),
            ping_interval: nonzero(self.ping_interval),
            daemon: self.daemon,
            clean: self.clean,
            peers: self.peers,
            debug: self.debug,
        })
    }
}

/// pycos' order: message timeout ≤ min pulse ≤ max pulse, and a zombie
/// period, when on, no shorter than the min pulse.
fn check_timing(args: &NodeArgs) -> Result<(), CliError> {
    let too_short = |name: &str, value: Duration, bound: &str, limit: Duration| {
        let detail = format!("{value:?} is less than {bound} ({limit:?})");
        Err(CliError::option(name, detail))
    };
    let one_second = Duration::from_secs(1);
    if args.msg_timeout < one_second {
        return too_short("msg_timeout", args.msg_timeout, "the minimum", one_second);
    }
    if args.min_pulse_interval < args.msg_timeout {
        let (value, limit) = (args.min_pulse_interval, args.msg_timeout);
        return too_short("min_pulse_interval", value, "--msg_timeout", limit);
    }
    if args.max_pulse_interval < args.min_pulse_interval {
        let (value, limit) = (args.max_pulse_interval, args.min_pulse_interval);
        return too_short("max_pulse_interval", value, "--min_pulse_interval", limit);
    }
    if !args.zombie_period.is_zero() && args.zombie_period < args.min_pulse_interval {
        let (value, limit) = (args.zombie_period, args.min_pulse_interval);
        return too_short("zombie_period", value, "--min_pulse_interval", limit);
    }
    Ok(())
}

/// `--serve`: -1 for no limit, else a count.
fn clients_to_serve(serve: i64) -> Result<Option<u64>, CliError> {
    match serve {
        -1 => Ok(None),
        _ => u64::try_from(serve).map(Some).map_err(|_| {
            CliError::option(
                "serve",
                format!("{serve} is not a count (-1 means no limit)"),
            )
        }),
    }
}

/// pycos' "0 means off" for a duration.
pub(crate) fn nonzero(duration: Duration) -> Option<Duration> {
    (!duration.is_zero()).then_some(duration)
}

/// An option's file made absolute, so it still names the same file after
/// the process changes its directory (as pycos does with `abspath`).
pub(crate) fn absolute(name: &str, path: Option<PathBuf>) -> Result<Option<PathBuf>, CliError> {
    path.filter(|path| !path.as_os_str().is_empty())
        .map(|path| {
            std::path::absolute(&path)
                .map_err(|error| CliError::option(name, format!("{}: {error}", path.display())))
        })
        .transpose()
}

#[cfg(test)]
#[path = "node_tests.rs"]
mod tests;
