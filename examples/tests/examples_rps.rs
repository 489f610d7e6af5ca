//! The RPS example pairs over loopback, one node per process: each test
//! starts the server and client binaries as children, reads their output
//! line by line with bounded waits, and kills every child by pid when it
//! ends (see `net_support`).

#[allow(dead_code)]
mod net_support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use net_support::{LOOPBACK, Proc};

/// `bin` as a node alone on a free loopback port, with `extra` arguments.
fn on_loopback(name: &str, bin: &str, extra: &[&str]) -> Proc {
    let mut args: Vec<&str> = LOOPBACK.to_vec();
    args.extend_from_slice(extra);
    Proc::spawn(name, bin, &args)
}

/// A directory of this test's own, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("pycos-examples-rps-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `rps_pico_service` / `rps_pico_client`: every call creates a task at
/// the service, whose `finish` gives the reply it made (from that very
/// task); an unknown request fails its task, and `finish` says so.
#[test]
fn rps_pico_pair() {
    let mut service = on_loopback(
        "rps_pico_service",
        env!("CARGO_BIN_EXE_rps_pico_service"),
        &["0.2"],
    );
    let at = service.location("server at ");
    let client_bin = env!("CARGO_BIN_EXE_rps_pico_client");
    let mut client = on_loopback("rps_pico_client", client_bin, &["--peer", &at, "3"]);
    client.expect_line(&format!("pico service RPS is at {at}"));
    for i in 0..3 {
        client.expect_line(&format!("service task {i} at {at}"));
    }
    for i in 0..3 {
        let line = client.expect_prefix(&format!("result {i}"));
        assert!(
            line.starts_with(&format!("result {i}: ")) && line.ends_with(" s since the epoch"),
            "the reply comes from the task the call created: {line}"
        );
    }
    client.expect_success(Duration::from_secs(5));

    let mut asker = on_loopback(
        "rps_pico_client (unknown request)",
        client_bin,
        &["--peer", &at, "1", "date"],
    );
    let failed = asker.expect_prefix("failed 0 ");
    assert!(
        failed.starts_with("failed 0 (error): ") && failed.contains("unknown request \"date\""),
        "{failed}"
    );
    asker.expect_success(Duration::from_secs(5));
    service.quit();
}

/// `rps_monitor_server` / `rps_monitor_client`: the monitor set with
/// `rps.monitor` gets the outcome of all five remote tasks: four values
/// (the texts the client sent them) and the failure of the call with
/// `b = 0`, with its kind and text.
#[test]
fn rps_monitor_pair() {
    let mut server = on_loopback(
        "rps_monitor_server",
        env!("CARGO_BIN_EXE_rps_monitor_server"),
        &[],
    );
    let at = server.location("server at ");
    let mut client = on_loopback(
        "rps_monitor_client",
        env!("CARGO_BIN_EXE_rps_monitor_client"),
        &["--peer", &at, "0.1"],
    );
    client.expect_line(&format!("RPS is at {at}"));
    for i in 0..5 {
        client.expect_line(&format!("created task {i} at {at}"));
    }
    client.expect_line("failed (error): task failed: test0: invalid invocation: 0");
    for i in 1..5 {
        client.expect_line(&format!("finished: msg:{i}"));
    }
    client.expect_line("all 5 done");
    client.expect_success(Duration::from_secs(5));
    let outcomes = client
        .seen()
        .iter()
        .filter(|l| l.starts_with("finished") || l.starts_with("failed"))
        .count();
    assert_eq!(outcomes, 5, "one outcome per task: {:?}", client.seen());
    server.quit();
}

/// Appends `lines` to the file at `path`.
fn append(path: &Path, lines: &[&str]) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .expect("the log file opens");
    for line in lines {
        writeln!(file, "{line}").expect("the log file is written");
    }
}

/// `rps_log_watch_server` / `rps_log_watch_client`: the client finds both
/// servers through peer status, starts a watch at each, and gets exactly
/// the lines of each server's file that match (written before and after
/// the watch started); `quit` closes the proxies, which terminates both
/// remote tasks and ends their pipelines.
#[test]
fn rps_log_watch_pair() {
    let dir = TempDir::new("log_watch");
    let server_bin = env!("CARGO_BIN_EXE_rps_log_watch_server");
    // Fewer than tail's ten starting lines in all, so every line is read
    // once whenever tail opens the file.
    let mut servers = Vec::new();
    for name in ["a", "b"] {
        let file = dir.path().join(format!("{name}.log"));
        append(&file, &["boot ok", &format!("{name}: early ERROR")]);
        let file_arg = file.display().to_string();
        let mut server = on_loopback(
            &format!("rps_log_watch_server {name}"),
            server_bin,
            &[&file_arg, "error"],
        );
        let at = server.location("server at ");
        servers.push((name, file, at, server));
    }
    let mut args = Vec::new();
    for (_, _, at, _) in &servers {
        args.extend(["--peer", at.as_str()]);
    }
    let mut client = on_loopback(
        "rps_log_watch_client",
        env!("CARGO_BIN_EXE_rps_log_watch_client"),
        &args,
    );
    for (_, file, at, server) in &mut servers {
        client.expect_line(&format!("watching {at}"));
        server.expect_prefix(&format!("watching {} for ", file.display()));
    }
    for (name, file, _, _) in &servers {
        append(
            file,
            &[
                "all fine",
                &format!("{name}: disk error 1"),
                "no problem",
                &format!("{name}: Error two"),
            ],
        );
    }
    for (name, _, at, _) in &servers {
        for line in ["early ERROR", "disk error 1", "Error two"] {
            client.expect_line(&format!("{at}: {name}: {line}"));
        }
    }
    client.expect_none(
        "a line that does not match",
        Duration::from_millis(300),
        |l| l.contains("fine") || l.contains("problem") || l.contains("boot"),
    );
    for (_, _, at, _) in &servers {
        let got = client
            .seen()
            .iter()
            .filter(|l| l.starts_with(&format!("{at}: ")))
            .count();
        assert_eq!(got, 3, "three lines from {at}: {:?}", client.seen());
    }
    client.send("quit");
    client.expect_line("closed 2");
    client.expect_success(Duration::from_secs(5));
    for (_, file, _, server) in &mut servers {
        server.expect_prefix(&format!("stopped watching {} for ", file.display()));
        server.expect_line(&format!("pipeline of {} ended", file.display()));
        server.quit();
    }
}

/// `rps_node_server` / `rps_node_client`: the script reaches the server's
/// scripts directory (its `dest_path`) with `send_file`; a client with a
/// wrong authentication string is refused and nothing runs; one with the
/// right string gets the script's output and exit code.
#[test]
fn rps_node_pair() {
    let dest = TempDir::new("node");
    let dest_arg = dest.path().display().to_string();
    let mut server = on_loopback(
        "rps_node_server",
        env!("CARGO_BIN_EXE_rps_node_server"),
        &["--dest-path", &dest_arg],
    );
    let at = server.location("server at ");
    server.send("open sesame");
    let scripts = dest.path().join("rps_update_scripts");
    server.expect_line(&format!("scripts go to {}", scripts.display()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/node_update_script.sh");
    let script_arg = script.display().to_string();
    let client_bin = env!("CARGO_BIN_EXE_rps_node_client");
    let client = |name: &str, auth: &str| {
        let mut proc = on_loopback(name, client_bin, &["--peer", &at, &script_arg, "0.1"]);
        proc.send(auth);
        proc.expect_line(&format!("RPS server is at {at}"));
        proc.expect_line("sent node_update_script.sh");
        proc.expect_line("challenge answered");
        proc
    };

    let mut stranger = client("rps_node_client (wrong auth)", "open barley");
    stranger.expect_line("refused (error): task failed: invalid authentication");
    stranger.expect_success(Duration::from_secs(5));
    let refused = server.expect_prefix("refused ");
    assert!(refused.ends_with(": invalid authentication"), "{refused}");
    let sent = std::fs::read(scripts.join("node_update_script.sh")).expect("the script arrived");
    assert_eq!(
        sent,
        std::fs::read(&script).expect("the script"),
        "the script as sent"
    );
    server.expect_none(
        "a script run for the wrong answer",
        Duration::from_millis(200),
        |l| l.starts_with("running"),
    );

    let mut friend = client("rps_node_client", "open sesame");
    friend.expect_line("script output: node_update_script.sh done after 0.1 s");
    friend.expect_line("script exited with 0");
    friend.expect_success(Duration::from_secs(5));
    server.expect_prefix("running node_update_script.sh for ");
    server.quit();
}
