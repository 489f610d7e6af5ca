//! Ping-pong: two tasks pass one number back and forth `n` times — pycos
//! through `send`/`receive`, tokio through two unbounded mpsc channels
//! (DESIGN: tokio did 5.0M round trips/s; target ≥ 2× tokio).

use std::time::Instant;

use pycos::prelude::*;
use tokio::sync::mpsc;

use crate::measure::{Config, alternate, pycos_rt, tokio_rt};
use crate::table::{Row, Target};

const BASE: usize = 1_000_000;

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let n = config.size(BASE);
    let (pycos, tokio) = alternate(config.rounds(), || pycos_once(n), || tokio_once(n));
    vec![Row {
        workload: format!("ping-pong send/receive ({n} round trips)"),
        unit: "M trips/s",
        pycos: n as f64 / pycos / 1e6,
        tokio: n as f64 / tokio / 1e6,
        target: Target::AtLeast(2.0),
    }]
}

/// Sends every message back to `peer`, until `peer` ends.
#[task]
fn ponger(peer: Task, task: TaskCtx) {
    loop {
        let msg = task.receive().await;
        if peer.send(msg).is_err() {
            break;
        }
    }
}

#[task]
fn pinger(n: usize, task: TaskCtx) -> f64 {
    let peer = Task::new(ponger(task.handle()));
    let start = Instant::now();
    for i in 0..n as u64 {
        peer.send(i).expect("ponger alive");
        let back = task.receive().await;
        assert_eq!(back.downcast_ref::<u64>(), Some(&i));
    }
    let secs = start.elapsed().as_secs_f64();
    peer.terminate().expect("ponger alive");
    secs
}

fn pycos_once(n: usize) -> f64 {
    let sched = pycos_rt();
    let secs = sched.spawn(pinger(n)).value().expect("pinger");
    sched.finish().expect("finish");
    secs
}

fn tokio_once(n: usize) -> f64 {
    tokio_rt().block_on(async {
        let (to_pong, mut pong_rx) = mpsc::unbounded_channel::<u64>();
        let (to_ping, mut ping_rx) = mpsc::unbounded_channel::<u64>();
        let pong = tokio::spawn(async move {
            while let Some(v) = pong_rx.recv().await {
                if to_ping.send(v).is_err() {
                    break;
                }
            }
        });
        let ping = tokio::spawn(async move {
            let start = Instant::now();
            for i in 0..n as u64 {
                to_pong.send(i).expect("ponger alive");
                let back = ping_rx.recv().await;
                assert_eq!(back, Some(i));
            }
            start.elapsed().as_secs_f64()
        });
        let secs = ping.await.expect("pinger");
        pong.await.expect("ponger");
        secs
    })
}
