//! The node's pid file: one node per `dest_path`, and a record of its
//! server processes so that `--clean` can stop them after a crash.
//!
//! The file is text, one process a line, `<pid> <start ticks>`: this
//! process first, then the servers it started. The start time (from
//! `/proc/<pid>/stat`) lets `--clean` tell a recorded process from an
//! unrelated one that got the same pid later, and a process is only
//! stopped when it is also ours (see [`SERVER_ENV`](super::SERVER_ENV)).

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use super::PidFileError;
use super::process::{ProcessStat, is_ours_and_alive, stop};

/// One process in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    pid: u32,
    started: Option<u64>,
}

impl Record {
    fn of(pid: u32) -> Self {
        Self {
            pid,
            started: ProcessStat::of(pid).map(|stat| stat.started),
        }
    }

    fn parse(line: &str) -> Option<Self> {
        let mut fields = line.split_whitespace();
        let pid = fields.next()?.parse().ok()?;
        let started = match fields.next() {
            Some(ticks) => Some(ticks.parse().ok()?),
            None => None,
        };
        Some(Self { pid, started })
    }

    fn line(self) -> String {
        match self.started {
            Some(started) => format!("{} {started}\n", self.pid),
            None => format!("{}\n", self.pid),
        }
    }
}

/// The pid file of a running node, removed when dropped.
///
/// ```no_run
/// use pycos_net::dispycos::cli::PidFile;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let path = PidFile::path_in("/tmp/pycos".as_ref());
/// let mut pid_file = PidFile::create(path, false)?;
/// let server = std::process::Command::new("dispycos-server").spawn()?;
/// pid_file.record(server.id())?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct PidFile {
    path: PathBuf,
    records: Vec<Record>,
}

impl PidFile {
    /// The file's name, in `<dest_path>/dispycos/`.
    pub const FILE_NAME: &'static str = "dispycosnode.pid";

    /// Where a node with `dest_path` keeps its pid file.
    pub fn path_in(dest_path: &Path) -> PathBuf {
        dest_path.join("dispycos").join(Self::FILE_NAME)
    }

    /// Creates the pid file at `path` (and its directory) for this process.
    ///
    /// If the file exists, another node may be running. With `clean`, the
    /// processes it records that are still alive and ours are stopped
    /// (SIGTERM, then SIGKILL) and the file is taken over; processes that
    /// are not ours, or not the ones recorded, are left alone.
    ///
    /// # Errors
    ///
    /// [`PidFileError::AnotherRunning`] if the file exists and `clean` is
    /// false; [`PidFileError::StillRunning`] if a recorded process would
    /// not stop; [`PidFileError::Io`] if the file cannot be read or written.
    pub fn create(path: impl Into<PathBuf>, clean: bool) -> Result<Self, PidFileError> {
        let path = path.into();
        let io = |source| PidFileError::Io {
            path: path.clone(),
            source,
        };
        if let Some(directory) = path.parent() {
            std::fs::create_dir_all(directory).map_err(io)?;
        }
        let me = Record::of(std::process::id());
        match write_new(&path, me) {
            Err(error) if error.kind() == ErrorKind::AlreadyExists && clean => {
                stop_recorded(&path)?;
                std::fs::remove_file(&path).map_err(io)?;
                // A node that started meanwhile wins; say so rather than
                // take its file.
                write_new(&path, me).map_err(|error| refused(&path, error))?;
            }
            result => result.map_err(|error| refused(&path, error))?,
        }
        Ok(Self {
            path,
            records: vec![me],
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The server processes recorded, in the order they were recorded.
    pub fn servers(&self) -> impl Iterator<Item = u32> + '_ {
        self.records.iter().skip(1).map(|record| record.pid)
    }

    /// Records the server process `pid` (with its start time) in the file.
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub fn record(&mut self, pid: u32) -> Result<(), PidFileError> {
        self.records.push(Record::of(pid));
        self.rewrite()
    }

    /// Removes the server process `pid` from the file, once it has ended.
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub fn forget(&mut self, pid: u32) -> Result<(), PidFileError> {
        let before = self.records.len();
        // Never forget ourselves: the first record is this process.
        let mut index = 0;
        self.records.retain(|record| {
            index += 1;
            index == 1 || record.pid != pid
        });
        if self.records.len() == before {
            return Ok(());
        }
        self.rewrite()
    }

    /// Replaces the file in one rename, so a reader never sees half of it.
    fn rewrite(&self) -> Result<(), PidFileError> {
        let text: String = self.records.iter().map(|record| record.line()).collect();
        let partial = self.path.with_extension("pid.partial");
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, &self.path))
            .map_err(|source| PidFileError::Io {
                path: self.path.clone(),
                source,
            })
    }
}

impl Drop for PidFile {
    fn drop(&mut self) {
        // Nothing to do about a failure while exiting; the next node's
        // --clean copes with a stale file.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Creates the file only if it does not exist (so two nodes starting at
/// once cannot both take it) and writes this process's record.
fn write_new(path: &Path, me: Record) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(me.line().as_bytes())
}

fn refused(path: &Path, source: std::io::Error) -> PidFileError {
    match source.kind() {
        ErrorKind::AlreadyExists => PidFileError::AnotherRunning {
            path: path.to_owned(),
        },
        _ => PidFileError::Io {
            path: path.to_owned(),
            source,
        },
    }
}

/// Stops the live processes of ours that the file at `path` records: the
/// old node first, so it cannot restart its servers, then the servers.
fn stop_recorded(path: &Path) -> Result<(), PidFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| PidFileError::Io {
        path: path.to_owned(),
        source,
    })?;
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let Some(record) = Record::parse(line) else {
            tracing::warn!(
                "pid file {}: skipping {line:?}, not a process",
                path.display()
            );
            continue;
        };
        let alive =
            record.pid != std::process::id() && is_ours_and_alive(record.pid, record.started);
        if alive && !stop(record.pid) {
            return Err(PidFileError::StillRunning {
                pid: record.pid,
                path: path.to_owned(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "pidfile_tests.rs"]
mod tests;
