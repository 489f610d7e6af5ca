//! pycos beside tokio's current-thread runtime, workload by workload.
//!
//! Run with `cargo bench -p pycos --bench vs_tokio`. Each workload runs on
//! both runtimes in this one process, alternating pycos and tokio for a few
//! rounds; the table shows the medians, their ratio and the target from
//! DESIGN §5. The sleeping-tasks workload measures memory, so each runtime
//! runs it in a child process of its own (this binary, re-executed with
//! `--child`), which reads its peak resident size from `/proc/self/status`.
//!
//! Environment (for quick runs):
//! - `PYCOS_BENCH_SCALE`: multiplies every workload size (default 1).
//! - `PYCOS_BENCH_ROUNDS`: rounds per workload (default 5; 3 for the
//!   child-process workloads).
//! - `PYCOS_BENCH_ONLY`: comma-separated workload keys to run
//!   (`spawn,pingpong,sleep,timers,broadcast,echo,inject`); a positional
//!   argument does the same.

mod measure;
mod table;
mod workloads;

use measure::Config;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        workloads::child_main(&args[at + 1..]);
        return;
    }
    // `cargo bench` passes `--bench`; any other word filters workloads.
    let filter: Vec<String> = args.into_iter().filter(|a| !a.starts_with("--")).collect();
    let config = Config::from_env(filter);
    println!("{}", config.describe());
    let mut rows = Vec::new();
    for workload in workloads::ALL {
        if config.selected(workload.key) {
            eprintln!("running {} ...", workload.key);
            rows.extend((workload.run)(&config));
        }
    }
    println!("{}", table::render(&rows));
}
