//! The errors of the command-line layer: each one line that names what was
//! wrong, ready to print before exiting with status 1.

use std::fmt;
use std::path::{Path, PathBuf};

/// A command line or `--config` file that cannot be run: a bad value, an
/// unknown option, or options that contradict each other.
///
/// Its `Display` is one line that names the option and the value, such as
/// `--cpus: 5 is more than the 2 CPUs here`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    message: String,
}

impl CliError {
    /// An error about one option, given by its long name without dashes.
    pub(crate) fn option(name: &str, detail: impl fmt::Display) -> Self {
        Self {
            message: format!("--{name}: {detail}"),
        }
    }

    /// An error about a configuration file as a whole (unreadable, bad line).
    pub(crate) fn config(path: &Path, detail: impl fmt::Display) -> Self {
        Self {
            message: format!("{}: {detail}", path.display()),
        }
    }

    /// clap's error reduced to its first line, without the `error: ` label
    /// and the usage hints that follow it.
    pub(crate) fn from_clap(error: &clap::Error) -> Self {
        let rendered = error.to_string();
        let first = rendered.lines().next().unwrap_or_default();
        Self {
            message: first.strip_prefix("error: ").unwrap_or(first).to_owned(),
        }
    }

    /// The same error, said to come from a value in the file at `path`.
    pub(crate) fn in_config(self, path: &Path) -> Self {
        Self::config(path, self.message)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// A line typed at an interactive dispycos binary that is not one of its
/// commands; the `Display` lists the ones it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCommand {
    pub(crate) line: String,
    pub(crate) known: &'static str,
}

impl fmt::Display for UnknownCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown command {:?}: enter {}", self.line, self.known)
    }
}

impl std::error::Error for UnknownCommand {}

/// Why a [`PidFile`](super::PidFile) could not be taken.
#[derive(Debug)]
#[non_exhaustive]
pub enum PidFileError {
    /// The file exists and `clean` was not asked for: another node may be
    /// running with the same `dest_path`.
    AnotherRunning {
        /// The pid file found.
        path: PathBuf,
    },
    /// A process recorded in the file is ours and alive, and did not end
    /// after SIGTERM and then SIGKILL.
    StillRunning {
        /// The process id.
        pid: u32,
        /// The pid file that recorded it.
        path: PathBuf,
    },
    /// Reading, writing or removing the file failed.
    Io {
        /// The pid file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl fmt::Display for PidFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AnotherRunning { path } => write!(
                f,
                "Another dispycosnode seems to be running (pid file {}); \
                 stop it, or start with --clean",
                path.display()
            ),
            Self::StillRunning { pid, path } => write!(
                f,
                "process {pid} recorded in {} did not stop when killed",
                path.display()
            ),
            Self::Io { path, source } => write!(f, "pid file {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for PidFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
