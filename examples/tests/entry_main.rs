//! What a `#[pycos::main]` program prints and how it exits, seen from
//! outside: this test is such a program, and runs itself as a child process
//! once per case (with `PYCOS_ENTRY_CASE` naming the case), checking the
//! child's stderr and exit status. Built without the test harness, so its
//! `main` is the macro's.
//!
//! ```text
//! cargo test -p pycos-examples --test entry_main
//! ```

use std::error::Error;
use std::fmt;
use std::io;
use std::net::TcpListener;
use std::process::{Command, Output};

use pycos::prelude::*;

const CASE: &str = "PYCOS_ENTRY_CASE";

#[pycos::main]
fn main() -> Result<(), Box<dyn Error>> {
    match std::env::var(CASE) {
        Ok(case) => play(&case),
        Err(_) => check_all(),
    }
}

// ---- the child: one case -------------------------------------------------

/// An error with a source, as a connection error from a library would be.
#[derive(Debug)]
struct Connect(io::Error);

impl fmt::Display for Connect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot connect to 127.0.0.1:9000")
    }
}

impl Error for Connect {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

#[task]
fn boom() {
    panic!("boom in a task nobody waits for");
}

fn play(case: &str) -> Result<(), Box<dyn Error>> {
    match case {
        "fail" => {
            let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "Connection refused");
            Err(Box::new(Connect(refused)))
        }
        "panic" => {
            // Nobody waits for it: only the log says what happened.
            drop(Task::new(boom()));
            Ok(())
        }
        "body" => {
            println!("body ran");
            Ok(())
        }
        other => Err(format!("unknown case {other}").into()),
    }
}

// ---- the parent: every case ----------------------------------------------

fn child(case: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(std::env::current_exe().expect("own path"));
    cmd.env(CASE, case)
        .env("RUST_BACKTRACE", "0")
        .env_remove("PYCOS_LOG")
        .env_remove("RUST_LOG")
        .env_remove("PYCOS_CLOCK");
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().expect("the test runs itself")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether the log (not the panic hook, which prints the panic anyway)
/// reported the task's panic as a warning.
fn logged_panic(out: &Output) -> bool {
    stderr(out)
        .lines()
        .any(|line| line.contains("WARN") && line.contains("boom in a task nobody waits for"))
}

/// Fails with the case's output when `ok` is false.
fn expect(ok: bool, what: &str, out: &Output) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what}; exit {:?}, stdout {:?}, stderr {:?}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        ))
    }
}

/// `main`'s `Err` is printed with `Display` and its sources, and exits 1.
fn main_error_prints_display_and_sources() -> Result<(), String> {
    let out = child("fail", &[]);
    let want = "error: cannot connect to 127.0.0.1:9000\n  caused by: Connection refused\n";
    expect(stderr(&out) == want, "stderr is the error chain", &out)?;
    expect(out.status.code() == Some(1), "exit status 1", &out)
}

/// The stderr subscriber shows a task's unobserved panic (a warning).
fn unobserved_panic_is_logged_by_default() -> Result<(), String> {
    let out = child("panic", &[]);
    expect(logged_panic(&out), "a WARN line for the panic", &out)?;
    expect(out.status.success(), "exit status 0", &out)
}

/// `PYCOS_LOG`, else `RUST_LOG`, filters the log.
fn pycos_log_then_rust_log_filter() -> Result<(), String> {
    for env in [
        &[("PYCOS_LOG", "error")][..],
        &[("RUST_LOG", "error")][..],
        &[("PYCOS_LOG", "error"), ("RUST_LOG", "warn")][..],
    ] {
        let out = child("panic", env);
        expect(
            !logged_panic(&out),
            &format!("no warning with {env:?}"),
            &out,
        )?;
    }
    let out = child("panic", &[("PYCOS_LOG", "warn"), ("RUST_LOG", "error")]);
    let shown = logged_panic(&out);
    expect(shown, "PYCOS_LOG=warn wins over RUST_LOG=error", &out)
}

/// An unknown `PYCOS_CLOCK` is an error listing the accepted values, before
/// the body runs.
fn unknown_clock_is_reported() -> Result<(), String> {
    let out = child("body", &[("PYCOS_CLOCK", "virtaul")]);
    let want = "error: PYCOS_CLOCK=\"virtaul\" names no clock; \
                accepted values: `real`, `virtual`\n";
    expect(
        stderr(&out) == want,
        "stderr names the accepted clocks",
        &out,
    )?;
    expect(out.stdout.is_empty(), "the body did not run", &out)?;
    expect(out.status.code() == Some(1), "exit status 1", &out)?;
    let out = child("body", &[("PYCOS_CLOCK", "real")]);
    expect(out.status.success(), "PYCOS_CLOCK=real is accepted", &out)
}

/// `sock_client` with no server: its tasks fail while nobody waits for
/// them, and the failures reach stderr (logged by the core).
fn sock_client_without_server_reports_the_failure() -> Result<(), String> {
    // A port with nothing listening: bound, then freed.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let out = Command::new(env!("CARGO_BIN_EXE_sock_client"))
        .args([&format!("127.0.0.1:{port}"), "2"])
        .env("RUST_BACKTRACE", "0")
        .env_remove("PYCOS_LOG")
        .env_remove("RUST_LOG")
        .output()
        .map_err(|e| e.to_string())?;
    let err = stderr(&out).to_lowercase();
    expect(
        err.contains("refused"),
        "stderr names the refused connection",
        &out,
    )
}

/// One check; `Err` says what was wrong.
type Case = fn() -> Result<(), String>;

const CASES: &[(&str, Case)] = &[
    (
        "main_error_prints_display_and_sources",
        main_error_prints_display_and_sources,
    ),
    (
        "unobserved_panic_is_logged_by_default",
        unobserved_panic_is_logged_by_default,
    ),
    (
        "pycos_log_then_rust_log_filter",
        pycos_log_then_rust_log_filter,
    ),
    ("unknown_clock_is_reported", unknown_clock_is_reported),
    (
        "sock_client_without_server_reports_the_failure",
        sock_client_without_server_reports_the_failure,
    ),
];

fn check_all() -> Result<(), Box<dyn Error>> {
    let only = std::env::args().nth(1).filter(|a| !a.starts_with('-'));
    let (mut passed, mut failed) = (0, 0);
    for (name, case) in CASES {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        match case() {
            Ok(()) => {
                println!("test {name} ... ok");
                passed += 1;
            }
            Err(why) => {
                println!("test {name} ... FAILED: {why}");
                failed += 1;
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        Err(format!("{failed} case(s) failed").into())
    } else {
        Ok(())
    }
}
