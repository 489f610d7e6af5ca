//! The second batch of dispycos examples, run as their users run them:
//! each starts its own node with 2 server processes on loopback, and
//! every process is killed by pid when a test ends. The checksums printed
//! are checked against the files' own.

#[allow(dead_code)]
mod net_support;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use net_support::Proc;
use pycos_examples::dispycos_b::{DEFAULT_DATA_DIR, checksum, data_files};

/// How long a whole example may take, its cluster's start included.
const RUN: Duration = Duration::from_secs(30);

/// The names of the first `n` data files, as the examples pick them.
fn first_files(n: usize) -> Vec<String> {
    data_files(&[n.to_string()])
        .expect("the examples' sources")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Checks a printed checksum of the data file `file` with `alg`.
fn assert_checksum(file: &str, alg: &str, hex: &str) {
    let data = std::fs::read(Path::new(DEFAULT_DATA_DIR).join(file)).expect("a data file");
    assert_eq!(
        checksum(alg, &data).as_deref(),
        Some(hex),
        "{alg} of {file}"
    );
}

/// `   ALGsum for FILE: HEX` (`FILE` quoted or not) as (file, alg, hex).
fn parse_digest(line: &str) -> (String, String, String) {
    let (alg, rest) = line
        .trim()
        .split_once("sum for ")
        .unwrap_or_else(|| panic!("not a checksum line: {line:?}"));
    let (file, hex) = rest
        .rsplit_once(": ")
        .unwrap_or_else(|| panic!("not a checksum line: {line:?}"));
    (
        file.trim_matches('"').to_owned(),
        alg.to_owned(),
        hex.to_owned(),
    )
}

/// Waits for `n` checksum lines, checks each, and gives them.
fn expect_digests(proc: &mut Proc, n: usize) -> Vec<(String, String, String)> {
    (0..n)
        .map(|i| {
            let line = proc.expect_by(&format!("with checksum {}", i + 1), RUN, |l| {
                l.contains("sum for ")
            });
            let (file, alg, hex) = parse_digest(&line);
            assert_checksum(&file, &alg, &hex);
            (file, alg, hex)
        })
        .collect()
}

/// One node, so one data file: both of its servers read it in
/// `node_setup`, and all 15 jobs checksum it from memory, right.
#[test]
fn client9_node_checksums_the_nodes_file_from_memory() {
    let files = first_files(2);
    let bin = env!("CARGO_BIN_EXE_dispycos_client9_node");
    let mut example = Proc::spawn("dispycos_client9_node", bin, &["2"]);
    let digests = expect_digests(&mut example, 15);
    assert!(
        digests.iter().all(|(file, ..)| *file == files[0]),
        "{digests:?}"
    );
    example.expect_success(RUN);
    let setups = example
        .seen()
        .iter()
        .filter(|l| **l == format!("data_file: \"{}\"", files[0]))
        .count();
    assert_eq!(setups, 2, "node_setup in each server: {:?}", example.seen());
}

/// Each server gets a file of its own in `setup_server`; the 15 jobs
/// checksum the data of the server they run on, right, both files.
#[test]
fn client9_server_checksums_each_servers_own_file() {
    let files = first_files(2);
    let bin = env!("CARGO_BIN_EXE_dispycos_client9_server");
    let mut example = Proc::spawn("dispycos_client9_server", bin, &["2"]);
    let digests = expect_digests(&mut example, 15);
    let used: HashSet<&String> = digests.iter().map(|(file, ..)| file).collect();
    assert_eq!(used, files.iter().collect(), "{digests:?}");
    example.expect_success(RUN);
    for file in &files {
        assert!(
            example
                .seen()
                .iter()
                .any(|l| l.ends_with(&format!(" processing {file}"))),
            "no server read {file}: {:?}",
            example.seen()
        );
    }
}

/// Three files, two servers: each job closes its server, and the third
/// file runs on a restarted one; every file gets all 5 checksums, right.
#[test]
fn client10_restarted_servers_take_the_files_left() {
    let files = first_files(3);
    let bin = env!("CARGO_BIN_EXE_dispycos_client10");
    let mut example = Proc::spawn("dispycos_client10", bin, &["3"]);
    let digests = expect_digests(&mut example, 15);
    for file in &files {
        let sums = digests.iter().filter(|(f, ..)| f == file).count();
        assert_eq!(sums, 5, "{file}: {digests:?}");
        example.expect_line(&format!("{file}: 5 checksums"));
    }
    example.expect_success(RUN);
}

/// Three files, two servers: each server's memory answers five requests
/// for its file, right, and the restarted server takes the third.
#[test]
fn mem_servers_answer_from_each_servers_memory() {
    let files = first_files(3);
    let bin = env!("CARGO_BIN_EXE_dispycos_mem_servers");
    let mut example = Proc::spawn("dispycos_mem_servers", bin, &["3"]);
    for file in &files {
        example.expect_by(&format!("saying {file} is done"), RUN, |l| {
            *l == format!("{file} done")
        });
    }
    example.expect_success(RUN);
    let mut answers: HashMap<String, usize> = HashMap::new();
    for line in example.seen().iter().filter(|l| l.contains(" computed ")) {
        // "  server at LOC computed ALG for FILE as "HEX""
        let words: Vec<&str> = line.split_whitespace().collect();
        let (alg, file, hex) = (words[4], words[6], words[8].trim_matches('"'));
        assert_checksum(file, alg, hex);
        *answers.entry(file.to_owned()).or_default() += 1;
    }
    for file in &files {
        assert_eq!(answers.get(file), Some(&5), "{file}: {answers:?}");
    }
}

/// Value of an `update from LOC: V` or `final from LOC: V` line.
fn server_value(line: &str) -> (String, f64) {
    let rest = line.split_once(" from ").expect("a from line").1;
    let (server, value) = rest.rsplit_once(": ").expect("LOC: V");
    (server.to_owned(), value.parse().expect("a number"))
}

/// On `quit` every job catches the server's KeyboardInterrupt and sends
/// a final best, no worse than any it reported before.
#[test]
fn kbd_int_jobs_send_a_final_result_when_interrupted() {
    let bin = env!("CARGO_BIN_EXE_dispycos_kbd_int");
    let mut example = Proc::spawn("dispycos_kbd_int", bin, &[]);
    for _ in 0..2 {
        example.expect_by("with a server available", RUN, |l| {
            l.ends_with(" is available")
        });
    }
    example.expect_by("with an update", RUN, |l| l.starts_with("update from "));
    example.send("quit");
    let finals: Vec<(String, f64)> = (0..2)
        .map(|_| {
            server_value(
                &example.expect_by("with a final result", RUN, |l| l.starts_with("final from ")),
            )
        })
        .collect();
    example.expect_success(RUN);
    let servers: HashSet<&String> = finals.iter().map(|(s, _)| s).collect();
    assert_eq!(servers.len(), 2, "one final per server: {finals:?}");
    for line in example
        .seen()
        .iter()
        .filter(|l| l.starts_with("update from "))
    {
        let (server, value) = server_value(line);
        let (_, last) = finals.iter().find(|(s, _)| *s == server).expect("a final");
        assert!(
            *last >= value && *last <= 1.0,
            "{server}: {value} then {last}"
        );
    }
}

/// Checks the live-analytics output: two servers, every signal a real
/// one and every one printed, every item saved.
fn assert_live_analytics(example: &mut Proc, items: u64) {
    let placed = example.expect_by("placing the jobs", RUN, |l| l.starts_with("average at "));
    let (avg, save) = placed["average at ".len()..]
        .split_once(", save at ")
        .expect("both places");
    assert_ne!(avg, save, "one job per server");
    let summary = example.expect_by("with the summary", RUN, |l| l.contains(" items saved"));
    example.expect_success(RUN);
    let signals: usize = summary.split(' ').next().unwrap().parse().expect("a count");
    assert_eq!(
        summary,
        format!("{signals} trend signals sent, {signals} printed; {items} items saved")
    );
    let trends: Vec<&String> = example
        .seen()
        .iter()
        .filter(|l| l.starts_with("trend signal at"))
        .collect();
    assert_eq!(trends.len(), signals);
    for line in trends {
        // "trend signal at  POS: KIND / AVG"
        let (pos, rest) = line["trend signal at".len()..].split_once(": ").unwrap();
        let (kind, avg) = rest.split_once(" / ").unwrap();
        let (pos, avg): (u64, f64) = (pos.trim().parse().unwrap(), avg.parse().unwrap());
        assert!(pos >= 9 && pos < items, "{line}");
        match kind {
            "high" => assert!(avg >= 0.4, "{line}"),
            "low" => assert!(avg <= -0.4, "{line}"),
            other => panic!("kind {other} in {line}"),
        }
    }
}

/// The stream reaches both jobs; every trend signal reaches the client.
#[test]
fn live_analytics_streams_to_two_jobs() {
    let bin = env!("CARGO_BIN_EXE_dispycos_live_analytics");
    let mut example = Proc::spawn("dispycos_live_analytics", bin, &["--items", "300"]);
    assert_live_analytics(&mut example, 300);
}

/// The same over a channel, once both jobs subscribed.
#[test]
fn live_analytics_channel_broadcasts_to_two_subscribed_jobs() {
    let bin = env!("CARGO_BIN_EXE_dispycos_live_analytics_channel");
    let mut example = Proc::spawn("dispycos_live_analytics_channel", bin, &["--items", "300"]);
    example.expect_by("with both subscribed", RUN, |l| {
        l == "both jobs subscribed to trend"
    });
    assert_live_analytics(&mut example, 300);
}

/// Both agents report, and one adopts the other's values; `quit` ends
/// it all.
#[test]
fn mas_agents_report_and_learn_from_each_other() {
    let bin = env!("CARGO_BIN_EXE_dispycos_mas");
    let mut example = Proc::spawn("dispycos_mas", bin, &[]);
    let mut reporting = HashSet::new();
    while reporting.len() < 2 {
        let line = example.expect_by("with an update", RUN, |l| l.starts_with("Update from "));
        reporting.insert(
            line.split_whitespace()
                .nth(2)
                .unwrap_or_default()
                .to_owned(),
        );
    }
    let heard = example.expect_by("with an agent adopting another's", RUN, |l| {
        l.contains(" received update from ")
    });
    let (at, from) = heard.split_once(" received update from ").unwrap();
    let from = from.split(':').take(2).collect::<Vec<_>>().join(":");
    assert_ne!(at, from, "{heard}");
    example.quit();
}

/// A bad argument of an example's own is one line naming it, before
/// anything starts.
#[test]
fn a_bad_argument_is_one_line_naming_it() {
    let bin = env!("CARGO_BIN_EXE_dispycos_live_analytics");
    let mut example = Proc::spawn("dispycos_live_analytics", bin, &["--items", "many"]);
    assert!(!example.wait_exit(RUN).success());
    let stderr = example.stderr();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--items many"), "{stderr}");
    assert!(!example.seen().iter().any(|l| l.contains("started")));
}
