//! What the dispycos examples of the second batch share: the data files
//! they checksum, the checksums themselves, a server process's data in
//! memory, the moving-window average of the live-analytics pair, and the
//! `quit` line of the interactive ones.
//!
//! The messages here cross the wire between a client and its jobs; their
//! wire names stay `pycos_examples::dispycos_b::…`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use pycos::{Message, Task};
use ring::digest;
use serde::{Deserialize, Serialize};

pub use crate::dispycos_a::DynError;

/// The value of the example's one option `flag` (`--items N`), or
/// `default` without it.
///
/// # Errors
///
/// A one-line text naming the bad value, or the arguments not understood.
///
/// ```
/// use pycos_examples::dispycos_b::flag_arg;
///
/// let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
/// assert_eq!(flag_arg(&args(&[]), "--items", 1000_u64), Ok(1000));
/// assert_eq!(flag_arg(&args(&["--items", "5"]), "--items", 1000_u64), Ok(5));
/// assert!(flag_arg(&args(&["--items", "x"]), "--items", 1000_u64).is_err());
/// assert!(flag_arg(&args(&["--other"]), "--items", 1000_u64).is_err());
/// ```
pub fn flag_arg<T: std::str::FromStr>(args: &[String], flag: &str, default: T) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    match args {
        [] => Ok(default),
        [given, value] if given == flag => {
            value.parse().map_err(|e| format!("{flag} {value}: {e}"))
        }
        _ => Err(format!(
            "unknown arguments {args:?} (try {flag} VALUE, --servers N, --node IP:PORT)"
        )),
    }
}

/// Where the data files come from without a directory argument: the
/// examples' own sources (Python's examples checksum their `*.py`).
pub const DEFAULT_DATA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin");

/// The data files an example processes, from its arguments `[DIR] [N]`:
/// the `*.rs` files of `DIR` (default [`DEFAULT_DATA_DIR`]), sorted by
/// name, the first `N` of them when `N` is given.
///
/// # Errors
///
/// A text naming the argument that is neither a count nor a directory,
/// or the directory that cannot be read or holds no `*.rs` file.
pub fn data_files(args: &[String]) -> Result<Vec<PathBuf>, String> {
    let (mut dir, mut count) = (PathBuf::from(DEFAULT_DATA_DIR), None);
    for arg in args {
        if let Ok(n) = arg.parse::<usize>() {
            count = Some(n);
        } else if Path::new(arg).is_dir() {
            dir = PathBuf::from(arg);
        } else {
            return Err(format!(
                "{arg}: neither a number of files nor a directory (try [DIR] [N])"
            ));
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|err| format!("{}: {err}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs") && path.is_file())
        .collect();
    files.sort();
    if let Some(n) = count {
        files.truncate(n.max(1));
    }
    if files.is_empty() {
        return Err(format!("{}: no *.rs files to process", dir.display()));
    }
    Ok(files)
}

/// A file's name without its directory (what lands at the peer).
pub fn base_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
}

/// The checksum algorithms the examples use (the ones `ring` has of
/// Python's `hashlib.algorithms_guaranteed`, plus SHA-512/256).
pub const ALGORITHMS: &[&str] = &["sha1", "sha256", "sha384", "sha512", "sha512_256"];

/// The checksum of `data` with `alg` in lowercase hex, or `None` for an
/// algorithm not in [`ALGORITHMS`].
pub fn checksum(alg: &str, data: &[u8]) -> Option<String> {
    let algorithm = match alg {
        "sha1" => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        "sha256" => &digest::SHA256,
        "sha384" => &digest::SHA384,
        "sha512" => &digest::SHA512,
        "sha512_256" => &digest::SHA512_256,
        _ => return None,
    };
    let sum = digest::digest(algorithm, data);
    Some(sum.as_ref().iter().map(|b| format!("{b:02x}")).collect())
}

/// A file's data, read into a server process's memory by a setup job for
/// the jobs after it (pycos' examples keep it in a `global`).
#[derive(Debug, Clone)]
pub struct InMemory {
    /// The file's name.
    pub name: String,
    /// Its bytes.
    pub data: Arc<Vec<u8>>,
}

static IN_MEMORY: Mutex<Option<InMemory>> = Mutex::new(None);

/// Keeps `data` of the file `name` in this process's memory (replacing
/// what was kept).
pub fn keep_in_memory(name: String, data: Vec<u8>) {
    let kept = InMemory {
        name,
        data: Arc::new(data),
    };
    *IN_MEMORY.lock().unwrap_or_else(|p| p.into_inner()) = Some(kept);
}

/// What [`keep_in_memory`] kept in this process, if anything.
pub fn in_memory() -> Option<InMemory> {
    IN_MEMORY.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// A checksum a job computed.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::dispycos_b::Digest")]
pub struct Digest {
    /// The file's name.
    pub file: String,
    /// The algorithm.
    pub alg: String,
    /// The checksum in lowercase hex.
    pub hex: String,
}

impl std::fmt::Display for Digest {
    /// pycos' line: `   md5sum for FILE: HEX`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "   {}sum for {}: {}", self.alg, self.file, self.hex)
    }
}

/// One item of the live data stream: its position, and its number, or
/// `None` at the end of the stream.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::dispycos_b::Tick")]
pub struct Tick {
    /// The item's position in the stream.
    pub pos: u64,
    /// The number, `None` for the end.
    pub num: Option<f64>,
}

/// A signal of the moving average: it went above the threshold
/// (`"high"`) or below its negation (`"low"`) at `pos`.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[message(name = "pycos_examples::dispycos_b::Trend")]
pub struct Trend {
    /// The position of the item that made the signal.
    pub pos: u64,
    /// `"high"` or `"low"`.
    pub kind: String,
    /// The average of the window then.
    pub avg: f64,
}

impl std::fmt::Display for Trend {
    /// pycos' line: `trend signal at  123: high / 0.41`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "trend signal at {:4}: {} / {:.2}",
            self.pos, self.kind, self.avg
        )
    }
}

/// The average of the last `window` numbers, kept as a running sum over
/// a circular buffer.
#[derive(Debug, Clone)]
pub struct MovingAverage {
    window: Vec<f64>,
    next: usize,
    sum: f64,
}

impl MovingAverage {
    /// An average over windows of `size` numbers (at least 1).
    pub fn new(size: usize) -> MovingAverage {
        MovingAverage {
            window: vec![0.0; size.max(1)],
            next: 0,
            sum: 0.0,
        }
    }

    /// Adds the item `pos`; gives a [`Trend`] when the window is full and
    /// its average is beyond `threshold` either way.
    ///
    /// ```
    /// use pycos_examples::dispycos_b::MovingAverage;
    ///
    /// let mut average = MovingAverage::new(2);
    /// assert!(average.push(0, 0.9, 0.4).is_none()); // the window is not full yet
    /// let trend = average.push(1, 0.5, 0.4).expect("(0.9 + 0.5) / 2 > 0.4");
    /// assert_eq!((trend.kind.as_str(), trend.avg), ("high", 0.7));
    /// ```
    pub fn push(&mut self, pos: u64, num: f64, threshold: f64) -> Option<Trend> {
        self.sum += num - self.window[self.next];
        self.window[self.next] = num;
        self.next = (self.next + 1) % self.window.len();
        let full = pos + 1 >= self.window.len() as u64;
        let avg = self.sum / self.window.len() as f64;
        let kind = if avg > threshold {
            "high"
        } else if avg < -threshold {
            "low"
        } else {
            return None;
        };
        full.then(|| Trend {
            pos,
            kind: kind.to_owned(),
            avg,
        })
    }
}

/// What the stdin watcher sends its task: the user typed `quit` or
/// `exit`, or input ended.
pub const QUIT: &str = "quit";

/// Sends [`QUIT`] to `task` when a line of stdin is `quit` or `exit`
/// (any case, trimmed), or stdin ends, from a thread of its own (the
/// Python examples read `input()` in their main thread).
pub fn quit_on_stdin<R>(task: &Task<R>) {
    let task = task.untyped();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            let Ok(line) = line else { break };
            let word = line.trim().to_lowercase();
            if word == "quit" || word == "exit" {
                break;
            }
        }
        let _ = task.send(QUIT.to_owned());
    });
}

/// How many trend signals the average job says it sent: the trend task
/// ends when it has printed as many.
#[derive(Debug)]
pub struct SignalsSent(pub u64);

/// Prints each trend signal; ends once it printed as many as
/// [`SignalsSent`] says.
#[pycos::task]
pub fn trend_proc(task: pycos::TaskCtx) -> u64 {
    let (mut printed, mut expected) = (0, None);
    while expected != Some(printed) {
        let msg = task.receive().await;
        if let Some(trend) = msg.downcast_ref::<Trend>() {
            println!("{trend}");
            printed += 1;
        } else if let Some(SignalsSent(n)) = msg.downcast_ref::<SignalsSent>() {
            expected = Some(*n);
        }
    }
    printed
}

/// What `dispycos_client9_node` and `dispycos_client9_server` do once
/// their data is in the servers' memory: schedule the client, run 15
/// `job(algorithm, seconds)` calls (more than the servers, so each waits
/// for a free one), print each digest, and close the client.
///
/// # Errors
///
/// When the client cannot be scheduled or closed.
pub async fn checksum_jobs<R>(
    client: &pycos_net::dispycos::Client,
    job: impl Fn(String, f64) -> pycos::TaskSpec<R>,
) -> Result<(), DynError>
where
    R: std::any::Any + Send + Sync + Clone + std::fmt::Display,
{
    client.schedule().await?;
    let mut jobs = Vec::new();
    for i in 0..15 {
        let alg = ALGORITHMS[i % ALGORITHMS.len()];
        let secs = 0.1 + fastrand::f64() * 0.2;
        match client.run(job(alg.to_owned(), secs)).await {
            Ok(job) => jobs.push(job),
            Err(err) => eprintln!("  ** job failed for {alg}: {err}"),
        }
    }
    for job in jobs {
        match job.finish().await {
            Ok(digest) => println!("{digest}"),
            Err(err) => println!(" ** job failed: {err}"),
        }
    }
    client
        .close(false, false, Some(std::time::Duration::from_secs(30)))
        .await?;
    Ok(())
}

/// What `dispycos_client10` and `dispycos_mem_servers` do: schedule the
/// client with `task` as its status task, and for each server
/// initialised (a restarted one again) start `use_server(client, server,
/// file)` with the next of `files`, until every file has a server; then
/// wait for those tasks (printing how any failed) and close the client.
///
/// # Errors
///
/// When the client cannot be scheduled or closed.
pub async fn file_per_server<R>(
    client: &pycos_net::dispycos::Client,
    files: &[PathBuf],
    task: &pycos::TaskCtx,
    use_server: impl Fn(pycos_net::dispycos::Client, pycos_net::Location, PathBuf) -> pycos::TaskSpec<R>,
) -> Result<(), DynError>
where
    R: std::any::Any + Send + Sync + Clone,
{
    use pycos_net::dispycos::{DispycosStatus, Status};
    client.set_status_task(&task.handle());
    client.schedule().await?;
    let mut users = Vec::new();
    while users.len() < files.len() {
        let msg = task.receive().await;
        let Some(status) = msg.downcast_ref::<DispycosStatus>() else {
            continue;
        };
        if let (Status::ServerInitialized, Some(server)) = (status.status, status.info.server()) {
            let file = files[users.len()].clone();
            users.push(Task::new(use_server(client.clone(), server, file)));
        }
    }
    for user in users {
        if let Err(err) = user.finish().await {
            println!("{err}");
        }
    }
    client
        .close(false, false, Some(std::time::Duration::from_secs(30)))
        .await?;
    Ok(())
}

/// Runs an example that reads `quit` from its console (`dispycos_kbd_int`,
/// `dispycos_mas`), whose one option is `--idle SECS` (60 by default):
/// starts the cluster and `client_proc` with the client and the idle
/// time, sends it [`QUIT`] on `quit` ([`quit_on_stdin`]), and waits for
/// it.
///
/// # Errors
///
/// A bad argument, a cluster that cannot start, or how `client_proc`
/// failed.
pub fn run_until_quit<R: std::any::Any + Send + Sync + Clone>(
    client_proc: impl FnOnce(pycos_net::dispycos::Client, f64) -> pycos::TaskSpec<R>,
) -> Result<(), DynError> {
    let (cluster, client, idle) =
        crate::cluster::start_cluster(|rest| flag_arg(rest, "--idle", 60.0))?;
    println!("   Enter \"quit\" or \"exit\" to end the program ");
    let client_task = Task::new(client_proc(client, idle));
    quit_on_stdin(&client_task);
    cluster.wait_for(client_task)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_are_the_known_digests() {
        assert_eq!(
            checksum("sha1", b"abc").as_deref(),
            Some("a9993e364706816aba3e25717850c26c9cd0d89d")
        );
        assert_eq!(
            checksum("sha256", b"").as_deref(),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        assert!(checksum("md5", b"abc").is_none());
    }

    #[test]
    fn the_average_signals_only_with_a_full_window() {
        let mut average = MovingAverage::new(3);
        assert!(average.push(0, -0.9, 0.4).is_none());
        assert!(average.push(1, -0.9, 0.4).is_none());
        let low = average.push(2, -0.9, 0.4).expect("a low signal");
        assert_eq!(low.kind, "low");
        // The oldest -0.9 leaves the window: (-0.9 - 0.9 + 0.9) / 3 = -0.3.
        assert!(average.push(3, 0.9, 0.4).is_none());
    }

    #[test]
    fn data_files_default_to_the_examples_sources() {
        let files = data_files(&["2".to_owned()]).expect("the sources are there");
        assert_eq!(files.len(), 2);
        assert!(files.windows(2).all(|pair| pair[0] < pair[1]), "sorted");
        let err = data_files(&["/no/such/dir".to_owned()]).unwrap_err();
        assert!(err.starts_with("/no/such/dir: neither"), "{err}");
    }
}
