//! Python dispycos (pycos 4.12.2) on the same workloads, with the
//! anchors' `run_one.sh`: each run a fresh `dispycosnode.py -c 2` on
//! 127.0.0.1, its RSS sampler and one `bench_client.py` (scheduler in the
//! client's process, one warm-up `stamp` job first).
//!
//! Each run goes inside `unshare -n -p -f --mount-proc --kill-child`: a
//! network namespace with only `lo` (`run_one.sh` refuses to run
//! otherwise, and sets the anchors' discovery guard on `PYTHONPATH`,
//! since pycos broadcasts discovery pings even when told not to), and a
//! PID namespace with its own `/proc`, so the sampler sees only the run's
//! processes and killing `unshare` ends all of them. One run per mode.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Config, median};

/// Python's figures (`None`: that run gave none).
#[derive(Debug, Default, Clone)]
pub(crate) struct Figures {
    pub(crate) seq_per_s: Option<f64>,
    pub(crate) conc_per_s: Option<f64>,
    pub(crate) conc_io_per_s: Option<f64>,
    pub(crate) p50_us: Option<f64>,
    pub(crate) p99_us: Option<f64>,
    pub(crate) submit_p50_us: Option<f64>,
    pub(crate) sleep_per_s: Option<f64>,
    /// The median over every run of its launch to first result.
    pub(crate) startup_ms: Option<f64>,
    /// The highest node-side sum of peaks over the runs.
    pub(crate) node_rss_mib: Option<f64>,
}

/// One run's outputs: `bench_client.py`'s `result.json` and the
/// sampler's `rss.json`.
#[derive(Debug)]
struct RunOutput {
    result: String,
    rss: String,
}

/// Runs the anchor's modes for the same job count as ours; `None` (after
/// saying why) when Python cannot run here.
pub(crate) fn run(config: &Config) -> Option<Figures> {
    let anchors = PathBuf::from(
        std::env::var_os("PYCOS_ANCHORS").unwrap_or_else(|| "/work/shared/anchors".into()),
    )
    .join("dispycos");
    let venv =
        PathBuf::from(std::env::var_os("PYCOS_VENV").unwrap_or_else(|| "/work/pyvenv".into()));
    if let Err(why) = check_setup(&anchors, &venv) {
        println!("python dispycos: skipped ({why})");
        return None;
    }
    let n = config.size(1000, 10);
    let mut figures = Figures::default();
    let (mut startups, mut rss) = (Vec::new(), Vec::new());
    for (mode, job) in [
        ("rtask_seq", "trivial"),
        ("rtask_conc", "trivial"),
        ("io_conc", "trivial"),
        ("lat_rtask", "trivial"),
        ("io_conc", "sleep10"),
    ] {
        eprintln!("running python dispycos {mode} {job} {n} ...");
        let out = match run_one(&anchors, &venv, mode, job, n) {
            Ok(out) => out,
            Err(why) => {
                println!("python dispycos {mode} {job}: no figure ({why})");
                continue;
            }
        };
        let rate = number_after(&out.result, "\"jobs_per_s\"", "");
        match (mode, job) {
            ("rtask_seq", _) => figures.seq_per_s = rate,
            ("rtask_conc", _) => figures.conc_per_s = rate,
            ("io_conc", "trivial") => figures.conc_io_per_s = rate,
            ("io_conc", _) => figures.sleep_per_s = rate,
            _ => {
                let ms_to_us = |ms: f64| ms * 1e3;
                figures.p50_us = number_after(&out.result, "\"lat_ms\"", "\"p50\"").map(ms_to_us);
                figures.p99_us = number_after(&out.result, "\"lat_ms\"", "\"p99\"").map(ms_to_us);
                figures.submit_p50_us =
                    number_after(&out.result, "\"submit_ms\"", "\"p50\"").map(ms_to_us);
            }
        }
        startups.extend(number_after(&out.result, "\"rel_t_first_result\"", ""));
        rss.extend(number_after(&out.rss, "\"node_tree_sum_of_peaks_kb\"", ""));
    }
    figures.startup_ms = (!startups.is_empty()).then(|| median(startups) * 1e3);
    figures.node_rss_mib = rss.into_iter().reduce(f64::max).map(|kib| kib / 1024.0);
    println!("python dispycos ({n} jobs a run): {figures:?}");
    Some(figures)
}

/// Why Python cannot run here, if it cannot.
fn check_setup(anchors: &Path, venv: &Path) -> Result<(), String> {
    if !anchors.join("run_one.sh").is_file() || !anchors.join("guard").is_dir() {
        return Err(format!(
            "no anchors at {}: set PYCOS_ANCHORS",
            anchors.display()
        ));
    }
    let python = venv.join("bin/python");
    let imports = Command::new(&python)
        .args(["-c", "import pycos.dispycos"])
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match imports {
        Ok(status) if status.success() => Ok(()),
        _ => Err(format!(
            "no pycos in the venv {}: set PYCOS_VENV",
            venv.display()
        )),
    }
}

/// One `run_one.sh` run, bounded in time; its two JSON files.
fn run_one(
    anchors: &Path,
    venv: &Path,
    mode: &str,
    job: &str,
    n: usize,
) -> Result<RunOutput, String> {
    let out_dir = std::env::temp_dir().join(format!(
        "pycos-dispycos-bench-py-{}-{mode}-{job}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&out_dir);
    let mut child = Command::new("unshare")
        .args(["-n", "-p", "-f", "--mount-proc", "--kill-child", "bash"])
        .arg(anchors.join("run_one.sh"))
        .arg(&out_dir)
        .args([mode, job, &n.to_string()])
        .env("ANCHOR_DIR", anchors)
        .env("PYCOS_VENV", venv)
        // Not the workspace: a `pycos/` folder there would import as an
        // empty namespace package.
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("unshare: {err}"))?;
    // Python manages ~800 trivial jobs/s (~140/s all at once with `rtask`);
    // its own watchdog gives up after 30 s without progress.
    let limit = Duration::from_secs(60) + Duration::from_millis(20 * n as u64);
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) | Err(_) => {
                // --kill-child: the namespace's init dies, and every
                // process inside with it.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("it took over {limit:?}"));
            }
        }
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name));
    let output = match (status.success(), read("result.json"), read("rss.json")) {
        (true, Ok(result), Ok(rss)) => Ok(RunOutput { result, rss }),
        (_, result, _) => Err(format!(
            "{status}: {} {}",
            stderr.trim(),
            result
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect::<String>()
        )),
    };
    let _ = std::fs::remove_dir_all(&out_dir);
    output
}

/// The number after `"key":` in a JSON text, looking for `key` after
/// `section` (`""`: from the start). Enough for the anchor's flat files;
/// `None` when absent or `null`.
fn number_after(text: &str, section: &str, key: &str) -> Option<f64> {
    let rest = &text[text.find(section)? + section.len()..];
    let rest = &rest[rest.find(key)? + key.len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}
