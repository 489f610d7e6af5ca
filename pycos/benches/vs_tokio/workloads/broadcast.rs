//! Broadcast: one task publishes numbers to 1000 subscriber tasks, which
//! each receive all of them — a `pycos::Channel` beside
//! `tokio::sync::broadcast` (DESIGN: tokio did 46M deliveries/s; target ≥
//! tokio). The publisher gives way after every 64 messages on both sides,
//! which keeps pycos' mailboxes short; tokio's ring holds every message
//! (its cooperative budget makes receivers yield mid-batch, which with a
//! smaller ring lets the publisher lap them).

use std::time::Instant;

use pycos::prelude::*;
use tokio::sync::broadcast;

use crate::measure::{Config, alternate, pycos_rt, tokio_rt, yield_now};
use crate::table::{Row, Target};

const SUBSCRIBERS: usize = 1000;
const BASE_MESSAGES: usize = 5_000;
const BATCH: usize = 64;

pub(crate) fn run(config: &Config) -> Vec<Row> {
    let msgs = config.size(BASE_MESSAGES);
    let (pycos, tokio) = alternate(config.rounds(), || pycos_once(msgs), || tokio_once(msgs));
    let deliveries = (msgs * SUBSCRIBERS) as f64;
    vec![Row {
        workload: format!("broadcast to {SUBSCRIBERS} subscribers ({msgs} messages)"),
        unit: "M deliveries/s",
        pycos: deliveries / pycos / 1e6,
        tokio: deliveries / tokio / 1e6,
        target: Target::AtLeast(1.0),
    }]
}

fn expected(msgs: usize) -> u64 {
    (msgs as u64) * (msgs as u64 - 1) / 2
}

#[task]
fn subscriber(msgs: usize, task: TaskCtx) -> u64 {
    let mut sum = 0;
    for _ in 0..msgs {
        sum += *task
            .receive()
            .await
            .downcast_ref::<u64>()
            .expect("a number");
    }
    sum
}

#[task]
fn publisher(msgs: usize) -> f64 {
    let channel = Channel::new("bench").expect("fresh scheduler");
    let subscribers: Vec<Task<u64>> = (0..SUBSCRIBERS)
        .map(|_| Task::new(subscriber(msgs)))
        .collect();
    for sub in &subscribers {
        channel.subscribe(sub).await.expect("subscribe");
    }
    let start = Instant::now();
    for i in 0..msgs as u64 {
        channel.send(i).expect("open channel");
        if i as usize % BATCH == BATCH - 1 {
            yield_now().await;
        }
    }
    for sub in subscribers {
        assert_eq!(sub.finish().await.expect("subscriber"), expected(msgs));
    }
    start.elapsed().as_secs_f64()
}

fn pycos_once(msgs: usize) -> f64 {
    let sched = pycos_rt();
    let secs = sched.spawn(publisher(msgs)).value().expect("publisher");
    sched.finish().expect("finish");
    secs
}

fn tokio_once(msgs: usize) -> f64 {
    tokio_rt().block_on(async {
        let (tx, _) = broadcast::channel::<u64>(msgs.next_power_of_two());
        let subscribers: Vec<_> = (0..SUBSCRIBERS)
            .map(|_| {
                let mut rx = tx.subscribe();
                tokio::spawn(async move {
                    let mut sum = 0;
                    for _ in 0..msgs {
                        sum += rx.recv().await.expect("no lag");
                    }
                    sum
                })
            })
            .collect();
        let start = Instant::now();
        for i in 0..msgs as u64 {
            tx.send(i).expect("subscribers");
            if i as usize % BATCH == BATCH - 1 {
                yield_now().await;
            }
        }
        for sub in subscribers {
            assert_eq!(sub.await.expect("subscriber"), expected(msgs));
        }
        start.elapsed().as_secs_f64()
    })
}
