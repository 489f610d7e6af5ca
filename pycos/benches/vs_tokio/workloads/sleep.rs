//! A million tasks sleeping at once: each of `n` tasks sleeps 10 ms; all are
//! spawned before any runs, so all sleep together. Time to all woken, and
//! peak memory per task (DESIGN: tokio took 1.1 s and 455 MB; target
//! ≤ 0.4× tokio's memory, about 180 bytes a task).
//!
//! Each runtime runs in a child process of its own so that their memory
//! does not mix: the child reads its resident size (`VmRSS`) before the
//! work and its peak (`VmHWM`) after; the difference, divided by `n`, is
//! the memory per task, handles included (one 8-byte handle on each side).

use std::process::Command;
use std::time::{Duration, Instant};

use pycos::prelude::*;

use crate::measure::{Config, alternate, proc_status_bytes, pycos_rt, tokio_rt};
use crate::table::{Row, Target};

const BASE: usize = 1_000_000;
const NAP: Duration = Duration::from_millis(10);

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let n = config.size(BASE);
    let rounds = config.child_rounds();
    let (pycos_time, tokio_time) = alternate(
        rounds,
        || spawn_child("pycos", n).0,
        || spawn_child("tokio", n).0,
    );
    let (pycos_mem, tokio_mem) = alternate(
        rounds,
        || spawn_child("pycos", n).1,
        || spawn_child("tokio", n).1,
    );
    vec![
        Row {
            workload: format!("{n} tasks sleeping 10 ms at once: time"),
            unit: "M tasks/s",
            pycos: n as f64 / pycos_time / 1e6,
            tokio: n as f64 / tokio_time / 1e6,
            target: Target::None,
        },
        Row {
            workload: format!("{n} tasks sleeping 10 ms at once: memory"),
            unit: "B/task",
            pycos: pycos_mem,
            tokio: tokio_mem,
            target: Target::AtMost(0.4),
        },
    ]
}

/// Runs one child; gives (seconds, peak bytes per task).
fn spawn_child(runtime: &str, n: usize) -> (f64, f64) {
    let exe = std::env::current_exe().expect("own executable");
    let out = Command::new(exe)
        .args(["--child", "sleep", runtime, &n.to_string()])
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "child failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut fields = text
        .split_whitespace()
        .map(|f| f.parse::<f64>().expect("number"));
    (fields.next().expect("secs"), fields.next().expect("bytes"))
}

/// In the child: run the workload, print "seconds bytes-per-task".
pub(crate) fn child(runtime: &str, n: usize) {
    let (secs, base) = match runtime {
        "pycos" => pycos_once(n),
        "tokio" => tokio_once(n),
        other => panic!("unknown runtime {other}"),
    };
    let peak = proc_status_bytes("VmHWM");
    println!("{secs} {}", peak.saturating_sub(base) as f64 / n as f64);
}

#[task]
fn sleeper(task: TaskCtx) {
    task.sleep(NAP).await;
}

#[task]
fn sleepers(n: usize) -> f64 {
    let start = Instant::now();
    let handles: Vec<Task<()>> = (0..n).map(|_| Task::new(sleeper())).collect();
    for handle in handles {
        handle.finish().await.expect("sleeper ends");
    }
    start.elapsed().as_secs_f64()
}

/// Gives (seconds, resident bytes before the work).
fn pycos_once(n: usize) -> (f64, u64) {
    let sched = pycos_rt();
    // Let the scheduler thread start (its stack is not per-task memory).
    sched
        .spawn(TaskSpec::new("warm", (), |(), _| async {}))
        .value()
        .expect("warm-up");
    let base = proc_status_bytes("VmRSS");
    let secs = sched.spawn(sleepers(n)).value().expect("sleepers");
    sched.finish().expect("finish");
    (secs, base)
}

fn tokio_once(n: usize) -> (f64, u64) {
    let rt = tokio_rt();
    rt.block_on(async {});
    let base = proc_status_bytes("VmRSS");
    let secs = rt.block_on(async {
        let start = Instant::now();
        let handles: Vec<_> = (0..n)
            .map(|_| tokio::spawn(tokio::time::sleep(NAP)))
            .collect();
        for handle in handles {
            handle.await.expect("sleeper ends");
        }
        start.elapsed().as_secs_f64()
    });
    (secs, base)
}
