//! Python netpycos (pycos 4.12.2) doing the round trips and the burst,
//! with the anchors' `py_net_server.py` and `py_net_client.py`.
//!
//! Both run inside `unshare -n` (a network namespace with only `lo`) and
//! with the anchors' discovery guard on `PYTHONPATH`: pycos broadcasts
//! discovery pings even when told not to, and the guard refuses anything
//! off loopback. `unshare` also makes a PID namespace (`-p -f
//! --kill-child`), so killing it by pid ends every Python process inside.
//! The burst is Python's own: `n` sends, each answered, then `n` receives;
//! our one-way row counts one answer for the whole burst.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Config;
use crate::table::{Row, Target};

/// Round trips (and burst messages) Python does: it manages ~1.3k/s.
const PY_TRIPS: usize = 2000;
/// The port inside the namespace (nothing else listens there).
const PORT: u16 = 19600;

/// The program run inside the namespace. `$1` python, `$2` anchors,
/// `$3` guard, `$4` port, `$5` count.
const SCRIPT: &str = r#"
ip link set lo up || exit 4
export PYTHONPATH="$3"
"$1" -c 'import pycos.netpycos' 2>/dev/null || exit 3
"$1" "$2/py_net_server.py" "$4" &
server=$!
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$4") 2>/dev/null && break
    sleep 0.1
done
"$1" "$2/py_net_client.py" "$4" "$5"
rc=$?
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
exit $rc
"#;

pub(crate) fn run(config: &Config, ours_rt: Option<f64>, ours_oneway: Option<f64>) -> Vec<Row> {
    let anchors = PathBuf::from(
        std::env::var_os("PYCOS_ANCHORS").unwrap_or_else(|| "/work/shared/anchors".into()),
    );
    let python = match std::env::var_os("PYCOS_VENV") {
        Some(venv) => PathBuf::from(venv).join("bin/python"),
        None => PathBuf::from("python3"),
    };
    let n = config.size(PY_TRIPS, 10);
    eprintln!("running python netpycos ({n} trips) ...");
    let out = match run_in_namespace(&python, &anchors, n) {
        Ok(out) => out,
        Err(why) => {
            println!("python netpycos: skipped ({why})");
            return Vec::new();
        }
    };
    let figure = |label: &str, unit: &str| {
        out.lines()
            .find(|line| line.starts_with(label))
            .and_then(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                let at = words.iter().position(|w| *w == unit)?;
                words.get(at.checked_sub(1)?)?.parse::<f64>().ok()
            })
    };
    let (Some(py_rt), Some(py_burst)) = (
        figure("netpycos remote roundtrips", "rt/s"),
        figure("netpycos burst send+reply", "msg/s"),
    ) else {
        println!("python netpycos: skipped (no figures in its output: {out:?})");
        return Vec::new();
    };
    println!(
        "python netpycos: {py_rt:.0} round trips/s, burst send+reply {py_burst:.0} msgs/s ({n} each)"
    );
    let mut rows = Vec::new();
    if let Some(ours) = ours_rt {
        rows.push(Row {
            key: "python-rt",
            workload: format!("remote round trip vs Python netpycos ({n} trips)"),
            unit: "k trips/s",
            ours,
            baseline: Some(py_rt / 1e3),
            paired: None,
            target: Target::None,
        });
    }
    if let Some(ours) = ours_oneway {
        rows.push(Row {
            key: "python-oneway",
            workload: format!("remote one-way vs Python netpycos burst ({n} msgs)"),
            unit: "M msgs/s",
            ours,
            baseline: Some(py_burst / 1e6),
            paired: None,
            target: Target::None,
        });
    }
    rows
}

/// Runs the pair inside a fresh network (and PID) namespace; gives the
/// client's output, or why there is none.
fn run_in_namespace(
    python: &std::path::Path,
    anchors: &std::path::Path,
    n: usize,
) -> Result<String, String> {
    let scripts = anchors.join("python-pycos");
    let guard = anchors.join("dispycos/guard");
    if !scripts.join("py_net_client.py").is_file() || !guard.is_dir() {
        return Err(format!(
            "no anchors at {}: set PYCOS_ANCHORS",
            anchors.display()
        ));
    }
    let mut child = Command::new("unshare")
        .args([
            "-n",
            "-p",
            "-f",
            "--kill-child",
            "bash",
            "-c",
            SCRIPT,
            "bash",
        ])
        .arg(python)
        .arg(&scripts)
        .arg(&guard)
        .arg(PORT.to_string())
        .arg(n.to_string())
        // Not the workspace: a `pycos/` folder there would import as an
        // empty namespace package.
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("unshare: {err}"))?;
    // Read both pipes as they fill, so a chatty run cannot block on them.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    // Bounded: Python does ~1.3k trips/s; give it ten times the time.
    let limit = Duration::from_secs(30) + Duration::from_secs_f64(n as f64 * 2.0 / 1300.0 * 10.0);
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) | Err(_) => {
                // SIGKILL to unshare: --kill-child ends the namespace's init,
                // and with it every process inside.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("python netpycos took over {limit:?}"));
            }
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    match status.code() {
        Some(0) => Ok(stdout),
        Some(3) => Err("pycos not installed: set PYCOS_VENV".to_owned()),
        Some(4) => Err("cannot set up a network namespace (unshare -n needs root)".to_owned()),
        _ => Err(format!(
            "it failed ({status}): {}{}",
            stdout.trim(),
            stderr.trim()
        )),
    }
}
