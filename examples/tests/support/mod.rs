//! Running an example binary to completion, for the example tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `bin` with `args`, feeds it `stdin` (then end of input), and gives
/// its stdout; fails the test if it exits unsuccessfully. With
/// `virtual_clock`, the program's sleeps take no real time
/// (`PYCOS_CLOCK=virtual`).
pub(crate) fn run(bin: &str, args: &[&str], stdin: &str, virtual_clock: bool) -> String {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if virtual_clock {
        cmd.env("PYCOS_CLOCK", "virtual");
    }
    let mut child = cmd.spawn().expect("example starts");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.as_bytes())
            .expect("example reads its input");
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().expect("example runs");
    let stdout = String::from_utf8(stdout).expect("utf-8 output");
    assert!(
        status.success(),
        "{bin} failed: {}\n{stdout}",
        String::from_utf8_lossy(&stderr)
    );
    stdout
}
