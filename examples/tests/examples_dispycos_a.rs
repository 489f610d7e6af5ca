//! The ports of pycos' `dispycos_client1` … `dispycos_client8` and the
//! tutorial's dispycos program, each run as its user runs it: one
//! command, its own node on loopback with 2 server processes (the
//! example's own executable again), every process killed by pid when a
//! test ends. Each test checks what the example prints: every job's
//! server and value.

#[allow(dead_code)] // the helpers other test files use
mod net_support;

use std::time::Duration;

use net_support::Proc;

/// The longest a whole example may take (they take a second or two).
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// An example run: the process, and its own node's server locations.
struct Run {
    proc: Proc,
    servers: Vec<String>,
}

impl Run {
    /// Starts `bin` with `args` and reads the line naming its own node.
    fn start(name: &str, bin: &str, args: &[&str]) -> Run {
        let mut proc = Proc::spawn(name, bin, args);
        let line = proc.expect_by("naming the node", RUN_LIMIT, |l| l.starts_with("node "));
        assert!(line.ends_with(" servers"), "{line}");
        Run {
            servers: Vec::new(),
            proc,
        }
    }

    /// The next line starting with `prefix`.
    fn line(&mut self, prefix: &str) -> String {
        self.proc
            .expect_by(&format!("starting {prefix:?}"), RUN_LIMIT, |l| {
                l.starts_with(prefix)
            })
    }

    /// The text after `prefix` of the next line starting with it.
    fn after(&mut self, prefix: &str) -> String {
        self.line(prefix)[prefix.len()..].to_owned()
    }

    /// Fails unless `location` is one of the node's servers: the node
    /// prints `dispycos server N at LOCATION` as each server comes up.
    fn assert_server(&mut self, location: &str) {
        if self.servers.iter().any(|s| s == location) {
            return;
        }
        let what = format!("announcing the server {location}");
        let suffix = format!(" at {location}");
        self.proc.expect_by(&what, RUN_LIMIT, |l| {
            l.starts_with("dispycos server ") && l.ends_with(&suffix)
        });
        self.servers.push(location.to_owned());
    }

    /// Waits for a successful exit.
    fn finish(mut self) {
        self.proc.expect_success(RUN_LIMIT);
    }
}

/// `a` split once at `sep`, both halves present.
fn split2<'a>(text: &'a str, sep: &str) -> (&'a str, &'a str) {
    text.split_once(sep)
        .unwrap_or_else(|| panic!("no {sep:?} in {text:?}"))
}

/// Every job is placed at one of the servers, one line each, in order;
/// with 2 servers and one CPU job per server at a time, both take jobs.
#[test]
fn client1_places_every_job_at_a_server() {
    let mut run = Run::start(
        "dispycos_client1",
        env!("CARGO_BIN_EXE_dispycos_client1"),
        &["6"],
    );
    let mut used = Vec::new();
    for i in 0..6 {
        let at = run.after(&format!("  job {i} processed by "));
        run.assert_server(&at);
        used.push(at);
    }
    used.sort();
    used.dedup();
    assert_eq!(used.len(), 2, "only {used:?} ran jobs");
    run.finish();
}

/// Every job's result comes back, in the order submitted: its own
/// number, the server it ran at and a time stamp.
#[test]
fn client2_collects_every_jobs_result() {
    let mut run = Run::start(
        "dispycos_client2",
        env!("CARGO_BIN_EXE_dispycos_client2"),
        &["6"],
    );
    for i in 0..6 {
        let rest = run.after(&format!("    result for {i} from "));
        let (at, time) = split2(&rest, ": ");
        run.assert_server(at);
        assert!(time.ends_with(" UTC") && time.len() == 23, "{time:?}");
    }
    run.finish();
}

/// Each job gets its object, at a server, and delivers it back with its
/// number replaced by the number's square root.
#[test]
fn client3_jobs_deliver_each_objects_square_root() {
    let mut run = Run::start(
        "dispycos_client3",
        env!("CARGO_BIN_EXE_dispycos_client3"),
        &["4"],
    );
    let mut requests = Vec::new();
    for i in 0..4 {
        let n: f64 = run
            .after(&format!("  request {i}: "))
            .parse()
            .expect("a number");
        requests.push(n);
    }
    let mut answered = Vec::new();
    for k in 0..4 {
        let rest = run.after(&format!("    result for job {k}: "));
        let (i, root) = split2(&rest, ": ");
        let (i, root): (usize, f64) = (i.parse().expect("a job"), root.parse().expect("a root"));
        assert!(
            (root - requests[i].sqrt()).abs() < 1e-12,
            "job {i}: {root} is not the square root of {}",
            requests[i]
        );
        answered.push(i);
    }
    answered.sort_unstable();
    assert_eq!(answered, [0, 1, 2, 3], "every job answers once");
    // The servers' own lines: each job received its number.
    let mut received = Vec::new();
    for _ in 0..4 {
        let rest = run.after("process at ");
        let (at, n) = split2(&rest, " received: ");
        run.assert_server(at);
        received.push(n.parse::<f64>().expect("a number"));
    }
    received.sort_by(f64::total_cmp);
    requests.sort_by(f64::total_cmp);
    assert_eq!(received, requests);
    run.finish();
}

/// A job at each server as it comes up, the next one at the server that
/// just finished: every job's value is the number it was started with,
/// reported from the same server.
#[test]
fn client7_places_jobs_from_status_messages() {
    let mut run = Run::start(
        "dispycos_client7",
        env!("CARGO_BIN_EXE_dispycos_client7"),
        &["5"],
    );
    let mut started = Vec::new();
    let mut finished = Vec::new();
    while finished.len() < 5 {
        let line = run
            .proc
            .expect_by("about a job", RUN_LIMIT, |l| l.contains("rtask_proc"));
        assert!(!line.contains("**"), "{line}");
        if let Some(rest) = line.strip_prefix("  rtask_proc started at ") {
            let (at, n) = split2(rest, " with ");
            run.assert_server(at);
            started.push(format!("{at} {n}"));
        } else if let Some(rest) = line.strip_prefix("      rtask_proc at ") {
            let (at, n) = split2(rest, " finished with ");
            let job = format!("{at} {n}");
            assert!(started.contains(&job), "{job:?} finished, never started");
            finished.push(job);
        }
    }
    started.sort();
    finished.sort();
    assert_eq!(started, finished);
    run.finish();
}

/// Each job sums the 5 numbers it is sent while it computes (each 0.1
/// to 0.2 s), and the client prints each sum.
#[test]
fn client8_jobs_sum_the_requests_sent_while_they_compute() {
    let mut run = Run::start(
        "dispycos_client8",
        env!("CARGO_BIN_EXE_dispycos_client8"),
        &["3"],
    );
    for i in 0..3 {
        let at = run.after(&format!("  job {i} processed by "));
        run.assert_server(&at);
    }
    for _ in 0..3 {
        let line = run.line("    ");
        let (at, sum) = split2(line.trim_start(), " computed result: ");
        run.assert_server(at);
        let sum: f64 = sum.parse().expect("a sum");
        assert!(
            (0.5..=1.0).contains(&sum),
            "{sum} is not 5 numbers in 0.1..0.2"
        );
    }
    run.finish();
}

/// Each job's program (shipped as a dependency) answers every one of the
/// 10 lines it is fed, in order, and the client hears them all before
/// the job is done.
#[test]
fn client5_jobs_relay_every_line_of_their_program() {
    let mut run = Run::start(
        "dispycos_client5",
        env!("CARGO_BIN_EXE_dispycos_client5"),
        &["3"],
    );
    for job in 1..=3 {
        let at = run.after(&format!("  job {job} processed by "));
        run.assert_server(&at);
    }
    for job in 1..=3 {
        let output = format!("      job {job} output: ");
        for line in 1..=10 {
            let text = run.after(&output);
            let expected = format!("Line {line} - current time is ");
            assert!(text.starts_with(&expected), "job {job}: {text:?}");
            assert!(text.ends_with(" UTC"), "job {job}: {text:?}");
        }
        run.line(&format!("  job {job} done"));
    }
    // Each "done" comes after that job's last line.
    let seen = run.proc.seen();
    for job in 1..=3 {
        let at = |text: &str| seen.iter().position(|l| l.starts_with(text));
        let last = at(&format!("      job {job} output: Line 10 "));
        let done = at(&format!("  job {job} done"));
        assert!(last < done, "job {job} was done before its last line");
    }
    run.finish();
}

/// Each input file goes to a job's server and comes back as a result
/// file in the output directory: one `N: LENGTH` line for each line of
/// the input (the examples' own sources, sorted).
#[test]
fn client4_jobs_send_back_each_files_line_lengths() {
    let output = TempDir::new("dispycos_client4");
    let output = &output.0;
    let out = output.to_str().expect("a UTF-8 path");
    let mut run = Run::start(
        "dispycos_client4",
        env!("CARGO_BIN_EXE_dispycos_client4"),
        &["3", "--output", out],
    );
    let sources = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin");
    // The example's inputs: the first 3 of its sorted glob.
    let mut inputs: Vec<String> = std::fs::read_dir(sources)
        .expect("the sources")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("dispycos_client") && name.ends_with(".rs"))
        .collect();
    inputs.sort();
    for (job, input) in inputs.iter().take(3).enumerate() {
        let target = output.join(format!("result-{input}"));
        run.line(&format!("    job {job} output is in {}", target.display()));
        let text = std::fs::read_to_string(format!("{sources}/{input}")).expect("the input");
        let expected: String = (1..)
            .zip(text.lines())
            .map(|(n, line)| format!("{n}: {}\n", line.len()))
            .collect();
        let got = std::fs::read_to_string(&target).expect("the result file");
        assert_eq!(got, expected, "{}", target.display());
    }
    run.finish();
}

/// A directory of the test's own, removed when the test ends, pass or
/// fail.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("{name}-test-{}", std::process::id()));
        std::fs::create_dir_all(&path).expect("a test directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The tutorial's program: jobs at the servers as they come up and as
/// their jobs end, until 10 (or a few more) are done; every job ends
/// with the number it was started with, at the server it was started at.
#[test]
fn tutorial_runs_its_jobs_from_status_messages() {
    let mut run = Run::start(
        "dispycos_tutorial",
        env!("CARGO_BIN_EXE_dispycos_tutorial"),
        &[],
    );
    let (mut started, mut finished) = (Vec::new(), Vec::new());
    // The program's own end: 10 or more done, and every one submitted.
    while finished.len() < 10 || finished.len() != started.len() {
        let line = run.proc.expect_by("about a job", RUN_LIMIT, |l| {
            l.contains(" processing ") || l.starts_with("Remote task ") || l.contains("failed")
        });
        if let Some(rest) = line.strip_prefix("Remote task ") {
            let (at, n) = split2(rest, " finished with ");
            finished.push(format!("{at} {n}"));
        } else if let Some((at, n)) = line.split_once(" processing ") {
            run.assert_server(at);
            started.push(format!("{at} {n}"));
        } else {
            panic!("{line}");
        }
    }
    run.proc.expect_success(RUN_LIMIT);
    started.sort();
    finished.sort();
    assert_eq!(started, finished);
    let stderr = run.proc.stderr();
    assert!(!stderr.contains("warning"), "{stderr}");
}
