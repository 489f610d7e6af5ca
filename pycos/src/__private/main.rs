//! What `#[pycos::main]` wraps around the program's `main`: a stderr log
//! subscriber, the environment check, waiting for tasks at exit, and
//! reporting `main`'s error.

use std::convert::Infallible;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

use crate::Pycos;

/// What a `#[pycos::main]` function may return.
#[diagnostic::on_unimplemented(
    message = "`#[pycos::main]` cannot return `{Self}`",
    label = "return `()`, `ExitCode` or a `Result`",
    note = "an `Err` is printed with `Display` and its `source()` chain, and the program exits with status 1"
)]
pub trait MainReturn {
    /// The error `main` can fail with.
    type Error;

    /// `main`'s error, if it failed.
    fn error(&self) -> Option<&Self::Error>;
}

impl MainReturn for () {
    type Error = Infallible;

    fn error(&self) -> Option<&Infallible> {
        None
    }
}

impl MainReturn for ExitCode {
    type Error = Infallible;

    fn error(&self) -> Option<&Infallible> {
        None
    }
}

impl<T, E> MainReturn for Result<T, E> {
    type Error = E;

    fn error(&self) -> Option<&E> {
        self.as_ref().err()
    }
}

/// `#[pycos::main]`: installs the log subscriber (when `log`), checks the
/// environment, runs the body, then waits for the process-wide scheduler's
/// non-daemon tasks and stops it, as pycos does at exit, and gives the
/// body's result back.
///
/// A failed `main` is printed as `error: …` with `report` (its `Display`
/// and sources, see [`report`](super::report)) before the wait, instead of
/// std's `Error: {:?}`, and the process then exits with status 1. So does
/// an invalid environment (`PYCOS_CLOCK`), before the body runs.
pub fn run_main<T: MainReturn>(
    log: bool,
    body: impl FnOnce() -> T,
    report: impl FnOnce(&T::Error) -> String,
) -> T {
    if log {
        install_logging();
    }
    if let Err(err) = crate::runtime::env::virtual_clock() {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
    if let Some(code) = before_main() {
        std::process::exit(code);
    }
    let result = body();
    let failed = result
        .error()
        .map(|err| eprintln!("error: {}", report(err)));
    if let Some(sched) = Pycos::instance_if_started()
        && let Err(err) = sched.finish()
    {
        tracing::error!(%err, "cannot finish the pycos scheduler");
    }
    if failed.is_some() {
        // std would print the error again, with `Debug`.
        std::process::exit(1);
    }
    result
}

/// Environment variables holding the log filter, first found first.
const LOG_VARS: [&str; 2] = ["PYCOS_LOG", "RUST_LOG"];

/// What is logged when neither variable is set: warnings and errors, which
/// include every task that fails while nobody waits for it.
const DEFAULT_FILTER: &str = "warn";

/// Installs a plain (uncoloured) stderr subscriber as the global default,
/// unless the program already has one. `tracing` allows one global
/// subscriber per process: a program that sets its own in `main` uses
/// `#[pycos::main(log = false)]`.
fn install_logging() {
    if tracing::dispatcher::has_been_set() {
        return;
    }
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .finish();
    // Another thread may have set one meanwhile: then that one is used.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// The filter from `PYCOS_LOG`, else `RUST_LOG` (`tracing`'s directive
/// syntax: `info`, `pycos=debug,warn`, ...), else [`DEFAULT_FILTER`]. A
/// variable that does not parse is reported and skipped.
fn filter() -> EnvFilter {
    for var in LOG_VARS {
        let Some(spec) = std::env::var(var).ok().filter(|s| !s.is_empty()) else {
            continue;
        };
        match EnvFilter::try_new(&spec) {
            Ok(filter) => return filter,
            Err(err) => eprintln!("warning: ignoring {var}={spec:?}: {err}"),
        }
    }
    EnvFilter::new(DEFAULT_FILTER)
}

/// Programs that run in another role before (instead of) their `main`:
/// each hook looks at the environment and, when the process was started
/// in its role, does that job and gives the exit status. pycos-net's
/// dispycos registers one: a server process is the client's own
/// executable, started with an environment variable that names its role.
#[linkme::distributed_slice]
pub static BEFORE_MAIN: [fn() -> Option<i32>];

/// Runs the `BEFORE_MAIN` hooks in turn; the first that takes the
/// process over gives its exit status.
pub fn before_main() -> Option<i32> {
    BEFORE_MAIN.iter().find_map(|hook| hook())
}
