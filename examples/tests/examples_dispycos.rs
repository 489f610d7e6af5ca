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

/// A client of a standalone scheduler in another process (`dispycos`,
/// started by the example): the scheduler asks the client's own
/// `allocate` (all CPUs but one), and the jobs run and reply.
#[test]
fn a_remote_scheduler_runs_the_jobs_on_the_cpus_the_client_allocates() {
    let bin = env!("CARGO_BIN_EXE_dispycos_remote_scheduler");
    let mut client = Proc::spawn("dispycos_remote_scheduler", bin, &[]);
    client.send("0.2");
    client.send("0.1");
    let allocated = client.expect_by(
        "asking the client's allocate",
        Duration::from_secs(30),
        |l| l.starts_with("Allocate 127.0.0.1"),
    );
    assert!(allocated.ends_with("): 2"), "{allocated}");
    let mut servers = std::collections::BTreeSet::new();
    for i in 1..=2 {
        let reply = client.expect_by(&format!("with reply {i}"), Duration::from_secs(30), |l| {
            l.starts_with(&format!("      Received reply for {i} from "))
        });
        servers.insert(
            reply
                .split(" from ")
                .nth(1)
                .and_then(|r| r.split(": ").next())
                .map(str::to_owned),
        );
    }
    assert_eq!(
        servers.len(),
        1,
        "2 CPUs minus 1 is one server: {servers:?}"
    );
    client.send("quit");
    client.expect_success(Duration::from_secs(30));
}
