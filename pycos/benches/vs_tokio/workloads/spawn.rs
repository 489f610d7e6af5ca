//! Spawn and run to completion: one task spawns `n` tasks that each return
//! a number, then waits for every one of them (DESIGN: tokio did 2.2M
//! tasks/s; target ≥ 1.5× tokio).

use std::time::Instant;

use pycos::prelude::*;

use crate::measure::{Config, alternate, pycos_rt, tokio_rt};
use crate::table::{Row, Target};

const BASE: usize = 1_000_000;

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let n = config.size(BASE);
    let (pycos, tokio) = alternate(config.rounds(), || pycos_once(n), || tokio_once(n));
    vec![Row {
        workload: format!("spawn + run to completion ({n} tasks)"),
        unit: "M tasks/s",
        pycos: n as f64 / pycos / 1e6,
        tokio: n as f64 / tokio / 1e6,
        target: Target::AtLeast(1.5),
    }]
}

#[task]
fn leaf(i: u64) -> u64 {
    i
}

#[task]
fn spawner(n: usize) -> f64 {
    let start = Instant::now();
    let handles: Vec<Task<u64>> = (0..n as u64).map(|i| Task::new(leaf(i))).collect();
    let mut sum = 0;
    for handle in handles {
        sum += handle.finish().await.expect("leaf ends");
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(sum, (n as u64) * (n as u64 - 1) / 2);
    secs
}

fn pycos_once(n: usize) -> f64 {
    let sched = pycos_rt();
    let secs = sched.spawn(spawner(n)).value().expect("spawner");
    sched.finish().expect("finish");
    secs
}

fn tokio_once(n: usize) -> f64 {
    tokio_rt().block_on(async {
        let start = Instant::now();
        let handles: Vec<_> = (0..n as u64)
            .map(|i| tokio::spawn(async move { i }))
            .collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await.expect("leaf ends");
        }
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(sum, (n as u64) * (n as u64 - 1) / 2);
        secs
    })
}
