//! A million random timers: each of `n` tasks sleeps a random 1–200 ms (the
//! same sequence on both runtimes), so timers are armed in random deadline
//! order. The figure is timers per second of process CPU time: wall time
//! would be dominated by the 200 ms wait itself (target ≥ tokio).

use std::time::Duration;

use pycos::prelude::*;

use crate::measure::{Config, alternate, process_cpu_ns, pycos_rt, tokio_rt};
use crate::table::{Row, Target};

const BASE: usize = 1_000_000;

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let n = config.size(BASE);
    let mut rng = fastrand::Rng::with_seed(5);
    let naps: Vec<u64> = (0..n).map(|_| rng.u64(1..=200)).collect();
    let (pycos, tokio) = alternate(config.rounds(), || pycos_once(&naps), || tokio_once(&naps));
    vec![Row {
        workload: format!("{n} random timers 1–200 ms (CPU time)"),
        unit: "M timers/s",
        pycos: n as f64 / pycos / 1e6,
        tokio: n as f64 / tokio / 1e6,
        target: Target::AtLeast(1.0),
    }]
}

#[task]
fn napper(ms: u64, task: TaskCtx) {
    task.sleep(Duration::from_millis(ms)).await;
}

#[task]
fn nappers(naps: Vec<u64>) {
    let handles: Vec<Task<()>> = naps.into_iter().map(|ms| Task::new(napper(ms))).collect();
    for handle in handles {
        handle.finish().await.expect("napper ends");
    }
}

/// CPU seconds of the whole run.
fn pycos_once(naps: &[u64]) -> f64 {
    let sched = pycos_rt();
    let naps = naps.to_vec();
    let start = process_cpu_ns();
    sched.spawn(nappers(naps)).value().expect("nappers");
    let cpu = process_cpu_ns() - start;
    sched.finish().expect("finish");
    cpu as f64 / 1e9
}

fn tokio_once(naps: &[u64]) -> f64 {
    let rt = tokio_rt();
    let naps = naps.to_vec();
    let start = process_cpu_ns();
    rt.block_on(async move {
        let handles: Vec<_> = naps
            .into_iter()
            .map(|ms| tokio::spawn(tokio::time::sleep(Duration::from_millis(ms))))
            .collect();
        for handle in handles {
            handle.await.expect("napper ends");
        }
    });
    let cpu = process_cpu_ns() - start;
    drop(rt);
    cpu as f64 / 1e9
}
