//! Spawning from another thread: a plain thread spawns `n` tasks into a
//! scheduler running on its own thread and waits for all their values —
//! pycos' `Pycos::spawn` + `Task::value` from outside, tokio's
//! `Handle::spawn` into a current-thread runtime driven by another thread.

use std::time::Instant;

use pycos::prelude::*;
use tokio::sync::oneshot;

use crate::measure::{Config, alternate, pycos_rt, tokio_rt};
use crate::table::{Row, Target};

const BASE: usize = 1_000_000;

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let n = config.size(BASE);
    let (pycos, tokio) = alternate(config.rounds(), || pycos_once(n), || tokio_once(n));
    vec![Row {
        workload: format!("spawn from another thread ({n} tasks)"),
        unit: "M tasks/s",
        pycos: n as f64 / pycos / 1e6,
        tokio: n as f64 / tokio / 1e6,
        target: Target::None,
    }]
}

#[task]
fn leaf(i: u64) -> u64 {
    i
}

fn pycos_once(n: usize) -> f64 {
    let sched = pycos_rt();
    let start = Instant::now();
    let handles: Vec<Task<u64>> = (0..n as u64).map(|i| sched.spawn(leaf(i))).collect();
    let sum: u64 = handles.iter().map(|h| h.value().expect("leaf")).sum();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(sum, (n as u64) * (n as u64 - 1) / 2);
    sched.finish().expect("finish");
    secs
}

fn tokio_once(n: usize) -> f64 {
    let rt = tokio_rt();
    let handle = rt.handle().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let driver = std::thread::spawn(move || {
        rt.block_on(async {
            let _ = stopped.await;
        });
    });
    let start = Instant::now();
    let handles: Vec<_> = (0..n as u64)
        .map(|i| handle.spawn(async move { i }))
        .collect();
    let sum: u64 = handle.block_on(async {
        let mut sum = 0;
        for h in handles {
            sum += h.await.expect("leaf");
        }
        sum
    });
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(sum, (n as u64) * (n as u64 - 1) / 2);
    stop.send(()).expect("driver waits");
    driver.join().expect("driver");
    secs
}
