//! RPS: one call of a remote task function and its result (`locate` once,
//! then `call` + `finish` per call, each checked), timed call by call for
//! its p50 and p99, beside one remote round trip (a send and its reply,
//! from the `roundtrip` rows). A call is the request that creates the task
//! and answers its handle, then the watch of that task until its value
//! comes back, so about two round trips is what it should cost.

use std::time::{Duration, Instant};

use pycos::prelude::*;
use pycos_net::{Location, Rps};

use crate::client::{Server, client_node};
use crate::table::{Row, Target};
use crate::{Config, bench_echo};

/// Calls per round (times `PYCOS_BENCH_SCALE`).
const CALLS: usize = 2_000;

/// `round_trip`: seconds a remote round trip took (the `roundtrip` row),
/// the baseline, when that row was measured.
pub(crate) fn run(config: &Config, round_trip: Option<f64>) -> Vec<Row> {
    let server = Server::start();
    let calls = config.size(CALLS, 10);
    let _watchdog = server.watchdog(
        Duration::from_secs(60)
            + Duration::from_secs_f64(config.rounds as f64 * calls as f64 * 2e-3),
    );
    let node = client_node();
    let sched = node.scheduler().clone();
    let mut latencies = Vec::with_capacity(calls * config.rounds);
    for round in 0..config.rounds {
        eprintln!("rps round {} of {} ...", round + 1, config.rounds);
        let mut once = sched
            .spawn(timed_calls(node.clone(), server.node, calls))
            .value()
            .expect("the RPS calls");
        latencies.append(&mut once);
    }
    latencies.sort_by(|a, b| a.partial_cmp(b).expect("no NaN figures"));
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize] * 1e6;
    let (p50, p99) = (at(0.50), at(0.99));
    eprintln!(
        "rps call + result: p50 {p50:.1} µs, p99 {p99:.1} µs ({} calls)",
        latencies.len()
    );
    let trip_us = round_trip.map(|secs| secs * 1e6);
    let row = |key, quantile: &str, value, target| Row {
        key,
        workload: format!(
            "RPS call + result {quantile} vs one remote round trip ({calls} calls a round)"
        ),
        unit: "µs",
        ours: value,
        baseline: trip_us,
        paired: None,
        target,
    };
    drop(server);
    // DESIGN §5's target for a dispycos job's round trip, which runs
    // through this machinery.
    vec![
        row("rps-p50", "p50", p50, Target::AtMost(100.0)),
        row("rps-p99", "p99", p99, Target::None),
    ]
}

#[task]
fn timed_calls(node: pycos_net::Node, at: Location, n: usize) -> Vec<f64> {
    node.peer(at).await.expect("the server node links");
    let rps = Rps::<bench_echo>::locate(Some(at), Duration::from_secs(10))
        .await
        .expect("the server publishes bench_echo");
    let mut latencies = Vec::with_capacity(n);
    for i in 0..n as u64 {
        let start = Instant::now();
        let task = rps.call((i,)).await.expect("the call");
        let back = task.finish().await.expect("the remote task's value");
        latencies.push(start.elapsed().as_secs_f64());
        assert_eq!(back, i, "the result of call {i}");
    }
    latencies
}
