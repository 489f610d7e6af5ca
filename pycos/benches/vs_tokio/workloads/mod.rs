//! The workloads: each runs the same work on pycos and on tokio and gives
//! its table rows.

mod broadcast;
mod echo;
mod inject;
mod pingpong;
mod sleep;
mod spawn;
mod timers;

use crate::measure::Config;
use crate::table::Row;

/// A workload, selected by `key`.
pub(crate) struct Workload {
    pub(crate) key: &'static str,
    pub(crate) run: fn(&Config) -> Vec<Row>,
}

pub(crate) const ALL: &[Workload] = &[
    Workload {
        key: "spawn",
        run: spawn::run,
    },
    Workload {
        key: "pingpong",
        run: pingpong::run,
    },
    Workload {
        key: "sleep",
        run: sleep::run,
    },
    Workload {
        key: "timers",
        run: timers::run,
    },
    Workload {
        key: "broadcast",
        run: broadcast::run,
    },
    Workload {
        key: "echo",
        run: echo::run,
    },
    Workload {
        key: "inject",
        run: inject::run,
    },
];

/// Entry of a re-executed child: `--child <workload> <runtime> <size>`.
pub(crate) fn child_main(args: &[String]) {
    match args {
        [workload, runtime, size] if workload == "sleep" => {
            sleep::child(runtime, size.parse().expect("size"));
        }
        _ => panic!("unknown child arguments {args:?}"),
    }
}
