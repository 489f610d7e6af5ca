//! The options of the standalone `dispycos` scheduler (pycos `dispycos.py`
//! run as a program).

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use super::CliError;
use super::args::{self, ConfigArgs, Parsed};
use super::node::{absolute, nonzero};
use super::values::{parse_seconds, parse_size};

/// The shortest zombie period a standalone scheduler takes: pycos'
/// `MaxPulseInterval` (100 s).
pub const MIN_ZOMBIE_PERIOD: Duration = Duration::from_secs(100);

/// The command line of `dispycos`, as clap reads it.
#[derive(Debug, Parser)]
#[command(
    name = "dispycos",
    about = "Runs a dispycos scheduler that clients on other computers share.",
    rename_all = "snake_case",
    disable_version_flag = true
)]
struct SchedulerArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// IP address to listen on (repeatable) [default: every interface]
    #[arg(short = 'i', long = "host", value_name = "IP")]
    hosts: Vec<IpAddr>,
    /// IP address to advertise, such as a NAT gateway's (repeatable)
    #[arg(long = "ext_host", value_name = "IP")]
    ext_hosts: Vec<IpAddr>,
    /// Port of the scheduler (TCP and UDP discovery)
    #[arg(
        long,
        value_name = "PORT",
        allow_negative_numbers = true,
        default_value_t = 9705
    )]
    scheduler_port: u16,
    /// Port at which nodes listen
    #[arg(
        long,
        value_name = "PORT",
        allow_negative_numbers = true,
        default_value_t = 9706
    )]
    node_port: u16,
    /// Use multicast instead of broadcast for IPv4 discovery
    #[arg(long)]
    ipv4_udp_multicast: bool,
    /// Name of the scheduler
    #[arg(short, long, default_value = "dispycos_scheduler")]
    name: String,
    /// Where files from clients are kept, under <PATH>/dispycos/scheduler [default: <temp dir>/pycos]
    #[arg(long, value_name = "PATH")]
    dest_path: Option<PathBuf>,
    /// Largest file that may be sent: bytes, or with a k, m, g or t suffix [default: no limit]
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
    /// A node (name or IP address) to contact directly (repeatable)
    #[arg(long = "node", alias = "nodes", value_name = "HOST")]
    nodes: Vec<String>,
    /// Ask each node to relay the scheduler's announcements on its network
    #[arg(long)]
    relay_nodes: bool,
    /// Seconds between pulses to nodes and the client
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, default_value = "100", value_parser = parse_seconds)]
    pulse_interval: Duration,
    /// Seconds between announcements to discover nodes; 0 for none after the first
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, default_value = "0", value_parser = parse_seconds)]
    ping_interval: Duration,
    /// Seconds a client or node may stay silent before it is closed; 0 for
    /// never, else at least 100
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true, default_value = "10000", value_parser = parse_seconds)]
    zombie_period: Duration,
    /// Print debug messages
    #[arg(short, long, alias = "loglevel")]
    debug: bool,
    /// Remove the files that clients sent or made in earlier runs
    #[arg(long)]
    clean: bool,
    /// Do not read commands from standard input
    #[arg(long)]
    daemon: bool,
}

/// Every option of the standalone `dispycos` scheduler, parsed and checked.
///
/// ```
/// use std::time::Duration;
/// use pycos_net::dispycos::cli::{Parsed, SchedulerOptions};
///
/// let args = ["--node", "127.0.0.1", "--zombie_period", "600"].map(String::from);
/// let Parsed::Run(options) = SchedulerOptions::parse(args)? else { unreachable!() };
/// assert_eq!(options.nodes, ["127.0.0.1"]);
/// assert_eq!(options.zombie_period, Some(Duration::from_secs(600)));
/// assert_eq!(options.name, "dispycos_scheduler");
/// # Ok::<(), pycos_net::dispycos::cli::CliError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerOptions {
    /// `-i/--host`: addresses to listen on; empty for all.
    pub hosts: Vec<IpAddr>,
    /// `--ext_host`: addresses to advertise instead.
    pub ext_hosts: Vec<IpAddr>,
    /// `--scheduler_port` (9705).
    pub scheduler_port: u16,
    /// `--node_port` (9706).
    pub node_port: u16,
    /// `--ipv4_udp_multicast`.
    pub ipv4_udp_multicast: bool,
    /// `-n/--name` (`dispycos_scheduler`).
    pub name: String,
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
    /// `--node`: nodes to contact at `node_port`, by name or address.
    pub nodes: Vec<String>,
    /// `--relay_nodes`.
    pub relay_nodes: bool,
    /// `--pulse_interval` (100 s).
    pub pulse_interval: Duration,
    /// `--ping_interval`; `None` (the default) for no periodic announcement.
    pub ping_interval: Option<Duration>,
    /// `--zombie_period` (10000 s); `None` for never.
    pub zombie_period: Option<Duration>,
    /// `-d/--debug`.
    pub debug: bool,
    /// `--clean`: remove the scheduler's old files first.
    pub clean: bool,
    /// `--daemon`: do not read standard input.
    pub daemon: bool,
}

impl SchedulerOptions {
    /// Parses the command line `args` (without the program name), with
    /// `--config` and `--save_config` as for
    /// [`NodeOptions::parse`](super::NodeOptions::parse).
    ///
    /// # Errors
    ///
    /// A bad value, an unknown option, a bad config file, a zero pulse
    /// interval, or a zombie period under [`MIN_ZOMBIE_PERIOD`]; the
    /// one-line message names the option.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Parsed<Self>, CliError> {
        args::parse(args, SchedulerArgs::validate)
    }
}

impl SchedulerArgs {
    fn validate(self) -> Result<SchedulerOptions, CliError> {
        if self.pulse_interval.is_zero() {
            return Err(CliError::option(
                "pulse_interval",
                "must be more than 0 seconds",
            ));
        }
        let zombie_period = nonzero(self.zombie_period);
        if let Some(period) = zombie_period.filter(|&period| period < MIN_ZOMBIE_PERIOD) {
            let detail = format!("{period:?} is less than the minimum ({MIN_ZOMBIE_PERIOD:?})");
            return Err(CliError::option("zombie_period", detail));
        }
        if let Some(node) = self.nodes.iter().find(|node| node.trim().is_empty()) {
            return Err(CliError::option("node", format!("{node:?} names no node")));
        }
        Ok(SchedulerOptions {
            hosts: self.hosts,
            ext_hosts: self.ext_hosts,
            scheduler_port: self.scheduler_port,
            node_port: self.node_port,
            ipv4_udp_multicast: self.ipv4_udp_multicast,
            name: Some(self.name)
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "dispycos_scheduler".to_owned()),
            dest_path: self.dest_path,
            max_file_size: self.max_file_size.filter(|&size| size > 0),
            secret: self.secret,
            certfile: absolute("certfile", self.certfile)?,
            keyfile: absolute("keyfile", self.keyfile)?,
            nodes: self.nodes,
            relay_nodes: self.relay_nodes,
            pulse_interval: self.pulse_interval,
            ping_interval: nonzero(self.ping_interval),
            zombie_period,
            debug: self.debug,
            clean: self.clean,
            daemon: self.daemon,
        })
    }
}

#[cfg(test)]
#[path = "scheduler_tests.rs"]
mod tests;
