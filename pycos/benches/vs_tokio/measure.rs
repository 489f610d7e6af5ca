//! Configuration, rounds and medians, and the few OS readings the workloads
//! need (CPU time, resident memory).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Sizes and rounds, from the environment.
#[derive(Debug)]
pub(crate) struct Config {
    scale: f64,
    rounds: usize,
    only: Vec<String>,
}

impl Config {
    pub(crate) fn from_env(filter: Vec<String>) -> Config {
        let scale = env_parse("PYCOS_BENCH_SCALE").unwrap_or(1.0_f64).max(1e-6);
        let rounds = env_parse("PYCOS_BENCH_ROUNDS").unwrap_or(5_usize).max(1);
        let mut only: Vec<String> = std::env::var("PYCOS_BENCH_ONLY")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        only.extend(filter);
        Config {
            scale,
            rounds,
            only,
        }
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "pycos vs tokio (current-thread): scale {}, {} rounds, median",
            self.scale, self.rounds
        )
    }

    pub(crate) fn selected(&self, key: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|k| k == key)
    }

    /// `base` scaled by `PYCOS_BENCH_SCALE`, at least 1.
    pub(crate) fn size(&self, base: usize) -> usize {
        ((base as f64 * self.scale) as usize).max(1)
    }

    pub(crate) fn rounds(&self) -> usize {
        self.rounds
    }

    /// Rounds for workloads that start a child process per run.
    pub(crate) fn child_rounds(&self) -> usize {
        self.rounds.min(3)
    }
}

fn env_parse<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.parse().ok()
}

/// Runs `pycos` and `tokio` alternately (`rounds` times each, the first
/// runtime swapping every round) and gives each side's median.
pub(crate) fn alternate<T: Copy + PartialOrd>(
    rounds: usize,
    mut pycos: impl FnMut() -> T,
    mut tokio: impl FnMut() -> T,
) -> (T, T) {
    let (mut p, mut t) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        if round % 2 == 0 {
            p.push(pycos());
            t.push(tokio());
        } else {
            t.push(tokio());
            p.push(pycos());
        }
    }
    (median(p), median(t))
}

pub(crate) fn median<T: Copy + PartialOrd>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN figures"));
    values[values.len() / 2]
}

/// CPU time of the whole process (every thread), in nanoseconds.
pub(crate) fn process_cpu_ns() -> u64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`).
pub(crate) fn proc_status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kb| kb * 1024)
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

/// Gives way once to the other tasks: the same future on both runtimes.
pub(crate) struct YieldNow(bool);

pub(crate) fn yield_now() -> YieldNow {
    YieldNow(false)
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A fresh tokio current-thread runtime with timers and I/O.
pub(crate) fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A fresh pycos scheduler.
pub(crate) fn pycos_rt() -> pycos::Pycos {
    pycos::Pycos::builder()
        .name("bench")
        .build()
        .expect("pycos scheduler")
}
