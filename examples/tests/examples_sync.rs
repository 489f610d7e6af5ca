//! The channel, locking-primitive and thread-pool examples run to
//! completion and print what they promise. The task examples run on
//! virtual time (`PYCOS_CLOCK=virtual`), so they take no real time.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn run(bin: &str, stdin: &str) -> String {
    support::run(bin, &[], stdin, true)
}

fn number_after(line: &str, prefix: &str) -> Option<f64> {
    line.strip_prefix(prefix)?.trim().parse().ok()
}

#[test]
fn channel_sums_and_multiplies_what_it_broadcast() {
    let out = run(env!("CARGO_BIN_EXE_channel"), "");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    let sent: Vec<f64> = lines[..4]
        .iter()
        .map(|l| number_after(l, "sent ").unwrap_or_else(|| panic!("bad line {l:?}")))
        .collect();
    assert!(sent.iter().all(|x| (0.5..=3.0).contains(x)), "{out}");
    let result = |prefix| {
        lines[4..]
            .iter()
            .find_map(|l| number_after(l, prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} line in {out}"))
    };
    // Printed with six decimals: compare within their rounding.
    let sum: f64 = sent.iter().sum();
    let prod: f64 = sent.iter().product();
    assert!((result("sum: ") - sum).abs() < 1e-5, "{out}");
    assert!((result("prod: ") - prod).abs() < 1e-3, "{out}");
}

#[test]
fn sync_primitives_bound_the_ovens_and_keep_reports_together() {
    let out = run(env!("CARGO_BIN_EXE_sync_primitives"), "");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.first(),
        Some(&"kitchen open"),
        "the event started the cooks: {out}"
    );
    assert_eq!(lines.last(), Some(&"9 dishes served"), "{out}");
    let (mut in_ovens, mut most) = (0, 0);
    for line in &lines {
        if line.ends_with("into an oven") {
            in_ovens += 1;
            most = most.max(in_ovens);
        } else if line.ends_with("out of the oven") {
            in_ovens -= 1;
        }
        assert!(in_ovens <= 2, "more than two dishes in the ovens: {out}");
    }
    assert_eq!(most, 2, "both ovens were used: {out}");
    let reports: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("server"))
        .collect();
    let mut served = HashSet::new();
    for pair in reports.chunks(2) {
        let [plating, done] = pair else {
            panic!("unpaired report in {out}")
        };
        let dish = plating.split_once(": plating ").expect("plating first").1;
        let server = plating.split_once(':').unwrap().0;
        assert_eq!(
            *done,
            format!("{server}: served {dish}"),
            "reports interleaved: {out}"
        );
        assert!(served.insert(dish.to_owned()), "{dish} served twice: {out}");
    }
    assert_eq!(served.len(), 9, "{out}");
}

/// Kills the child if the test has not finished with it in `limit`.
fn watchdog(child: &Child, limit: Duration) -> mpsc::Sender<()> {
    let (done, finished) = mpsc::channel::<()>();
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        if finished.recv_timeout(limit).is_err() {
            let _ = Command::new("kill").arg("-9").arg(&pid).status();
        }
    });
    done
}

#[test]
fn pool_stdin_ticks_while_a_pool_thread_waits_for_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pool_stdin"))
        .arg("0.02")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("example starts");
    let done = watchdog(&child, Duration::from_secs(30));
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || {
        stdout
            .next()
            .expect("more output (or the watchdog fired)")
            .unwrap()
    };
    stdin.write_all(b"hello pool world\n").unwrap();
    // Ticks arrive while the pool thread is blocked reading stdin: the
    // scheduler is not blocked. Wait for the echo and two ticks after it.
    let mut line = next();
    while line.starts_with("tick") {
        line = next();
    }
    assert_eq!(line, "1: HELLO POOL WORLD (3 words)");
    for _ in 0..2 {
        let tick = next();
        assert!(tick.starts_with("tick "), "expected a tick, got {tick:?}");
    }
    stdin.write_all(b"second line\n").unwrap();
    drop(stdin); // end of input ends the program
    let rest: Vec<String> = std::iter::from_fn(|| stdout.next().map(Result::unwrap))
        .filter(|l| !l.starts_with("tick"))
        .collect();
    assert_eq!(rest, ["2: SECOND LINE (2 words)", "2 lines, 5 words"]);
    assert!(child.wait().unwrap().success());
    let _ = done.send(());
}
