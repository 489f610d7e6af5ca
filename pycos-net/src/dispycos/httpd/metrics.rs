//! `/metrics`: the cluster in the Prometheus text format (version 0.0.4),
//! for people's own monitoring: nodes and servers by status, jobs
//! submitted, running, done and failed, and the job latency histogram.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::model::Model;
use super::stats::LATENCY_BOUNDS;

/// The metrics text of `model`.
pub(crate) fn render(model: &Model) -> String {
    let mut out = String::with_capacity(2048);
    let mut nodes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut servers: BTreeMap<&str, u64> = BTreeMap::new();
    for node in model.nodes.values() {
        *nodes.entry(node.status).or_default() += 1;
        for server in node.servers.values() {
            *servers.entry(server.status).or_default() += 1;
        }
    }
    family(
        &mut out,
        "dispycos_nodes",
        "gauge",
        "Nodes of the client's cluster, by status.",
    );
    for (status, count) in &nodes {
        let _ = writeln!(out, "dispycos_nodes{{status=\"{status}\"}} {count}");
    }
    family(
        &mut out,
        "dispycos_servers",
        "gauge",
        "Server processes, by status.",
    );
    for (status, count) in &servers {
        let _ = writeln!(out, "dispycos_servers{{status=\"{status}\"}} {count}");
    }
    let counts = &model.counts;
    for (name, kind, help, value) in [
        (
            "dispycos_jobs_submitted_total",
            "counter",
            "Jobs started.",
            counts.submitted,
        ),
        (
            "dispycos_jobs_running",
            "gauge",
            "Jobs running now.",
            counts.running(),
        ),
        (
            "dispycos_jobs_done_total",
            "counter",
            "Jobs that ended with a value.",
            counts.done,
        ),
        (
            "dispycos_jobs_failed_total",
            "counter",
            "Jobs that failed, panicked or were terminated.",
            counts.failed,
        ),
    ] {
        family(&mut out, name, kind, help);
        let _ = writeln!(out, "{name} {value}");
    }
    family(
        &mut out,
        "dispycos_job_duration_seconds",
        "histogram",
        "Time from a job's start to its end.",
    );
    let latency = &model.latency;
    let mut cumulative = 0;
    for (bound, count) in LATENCY_BOUNDS.iter().zip(&latency.counts) {
        cumulative += count;
        let _ = writeln!(
            out,
            "dispycos_job_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
        );
    }
    let total = latency.count();
    let _ = writeln!(
        out,
        "dispycos_job_duration_seconds_bucket{{le=\"+Inf\"}} {total}"
    );
    let _ = writeln!(out, "dispycos_job_duration_seconds_sum {}", latency.sum);
    let _ = writeln!(out, "dispycos_job_duration_seconds_count {total}");
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_is_cumulative_and_ends_with_inf() {
        let mut model = Model::new(10.0, true);
        model.latency.record(0.002);
        model.latency.record(0.003);
        model.latency.record(400.0);
        let text = render(&model);
        assert!(text.contains("dispycos_job_duration_seconds_bucket{le=\"0.001\"} 0\n"));
        assert!(text.contains("dispycos_job_duration_seconds_bucket{le=\"0.005\"} 2\n"));
        assert!(text.contains("dispycos_job_duration_seconds_bucket{le=\"300\"} 2\n"));
        assert!(text.contains("dispycos_job_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("dispycos_job_duration_seconds_count 3\n"));
        assert!(text.contains("# TYPE dispycos_jobs_running gauge\n"));
        // Every sample line is `name{labels} value` or `name value`.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (name, value) = line.rsplit_once(' ').unwrap();
            assert!(name.starts_with("dispycos_"), "{line}");
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
    }
}
