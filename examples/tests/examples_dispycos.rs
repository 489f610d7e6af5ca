//! The dispycos examples, run as their users run them: a whole cluster
//! on loopback (a node with 2 server processes, started by the example
//! itself), every process killed by pid when a test ends.

#[allow(dead_code)] // the helpers other test files use
mod net_support;

use std::time::Duration;

use net_support::Proc;

const DEMO: &str = env!("CARGO_BIN_EXE_cluster_demo");

/// 1000 jobs submitted at once from 1000 local tasks, 50 times over,
/// against a node with 2 servers: every result reaches the job that asked
/// for it (each returns n² + 1 for its own n, and every one is checked),
/// and no run hangs (the whole is bounded).
#[test]
fn thousand_concurrent_jobs_fifty_times_each_get_their_own_result() {
    let mut demo = Proc::spawn("cluster_demo", DEMO, &["--jobs", "1000", "--rounds", "50"]);
    let pid_line = demo.expect_by("naming the node's pid", Duration::from_secs(30), |l| {
        l.contains("(pid ")
    });
    let node_pid: u32 = pid_line
        .split("(pid ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("no pid in {pid_line:?}"));
    let summary = demo.expect_by("with the summary", Duration::from_secs(400), |l| {
        l.contains(" jobs on ")
    });
    assert!(
        summary.starts_with("50000 jobs on 2 servers: 50000 right, 0 wrong;"),
        "{summary}"
    );
    assert!(
        demo.wait_exit(Duration::from_secs(30)).success(),
        "cluster_demo failed"
    );
    assert!(
        !std::path::Path::new(&format!("/proc/{node_pid}")).exists(),
        "the node process {node_pid} outlived the demo"
    );
}

/// A bad option is a one-line error naming it, and nothing starts.
#[test]
fn a_bad_option_is_one_line_naming_it() {
    let mut demo = Proc::spawn("cluster_demo", DEMO, &["--jobs", "many"]);
    let status = demo.wait_exit(Duration::from_secs(10));
    assert!(!status.success());
    let stderr = demo.stderr();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--jobs many"), "{stderr}");
}
