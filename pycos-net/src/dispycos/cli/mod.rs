//! The command lines of the `dispycosnode` and `dispycos` binaries, as a
//! library their `main`s call: typed, checked options; `--config` and
//! `--save_config` files; the interactive commands; the daily service
//! window; the node's pid file; and whether the process runs in the
//! foreground.
//!
//! Options, defaults and checks follow pycos' `dispycosnode.py` and
//! `dispycos.py`, with the long names spelled the same (`--node_ports`,
//! `--msg_timeout`), so existing scripts and config files keep working.
//! Values pycos encodes specially are typed: seconds are [`Duration`]s,
//! "0 means off" and "-1 means no limit" are `None`.
//!
//! A node's `main` might start like this:
//!
//! ```no_run
//! use pycos_net::dispycos::cli::{NodeOptions, Parsed, PidFile, in_foreground};
//!
//! fn main() {
//!     let options = match NodeOptions::parse(std::env::args().skip(1)) {
//!         Ok(Parsed::Run(options)) => options,
//!         Ok(Parsed::Help(text)) => return print!("{text}"),
//!         Ok(Parsed::ConfigSaved(_)) => return,
//!         Err(error) => {
//!             eprintln!("dispycosnode: {error}");
//!             std::process::exit(1);
//!         }
//!     };
//!     let ncpu = std::thread::available_parallelism().map_or(1, |n| n.get());
//!     let servers = options.servers(ncpu).unwrap_or_else(|error| {
//!         eprintln!("dispycosnode: {error}");
//!         std::process::exit(1);
//!     });
//!     let interactive = !options.daemon && in_foreground();
//!     let dest = options.dest_path.clone().unwrap_or_else(|| std::env::temp_dir().join("pycos"));
//!     let pid_file = PidFile::create(PidFile::path_in(&dest), options.clean);
//!     // ... start the node on options.ports(servers), then its servers
//! }
//! ```
//!
//! [`Duration`]: std::time::Duration

mod args;
mod command;
mod error;
mod ini;
mod node;
mod pidfile;
mod process;
mod scheduler;
mod service;
mod values;

pub use args::Parsed;
pub use command::{NodeCommand, SchedulerCommand};
pub use error::{CliError, PidFileError, UnknownCommand};
pub use node::NodeOptions;
pub use pidfile::PidFile;
pub use process::{SERVER_ENV, in_foreground};
pub use scheduler::{MIN_ZOMBIE_PERIOD, SchedulerOptions};
pub use service::{Due, ServiceEvent, ServiceWindow, TimeOfDay};
pub use values::{ParsePortRangeError, PortRange, parse_size};

#[cfg(test)]
mod test_support;
