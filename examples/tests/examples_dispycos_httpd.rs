//! The dispycos web dashboard over HTTP, as a browser or a script meets
//! it: each test runs the example `dispycos_httpd1` (its own node on
//! 127.0.0.1 with 2 server processes, and the dashboard on a free port),
//! starts jobs by writing their lengths to its stdin, and talks to the
//! dashboard with the tiny HTTP/1.1 client below (plain `TcpStream`s to
//! 127.0.0.1, every read and write bounded by a timeout).
//!
//! What is checked, against the endpoints `pycos_net::dispycos::httpd` documents:
//! - every endpoint's status, content type and JSON shape on a live
//!   cluster with running and finished jobs (`/cluster_status`,
//!   `/cluster_updates` with and without `since`, `/cluster_summary`,
//!   `/metrics`, the pages, `/node_info`, `/server_info`), and 404 / 405;
//! - the settings and actions (`/update`, suspend and resume of a server
//!   and of the node, `/terminate_tasks`), each seen to take effect;
//! - the access token: every POST without it, or with a wrong one, is a
//!   403 that changes nothing; GETs need none;
//! - malformed requests (garbage, a bad `Content-Length`, chunked bodies,
//!   too many headers, a foreign `Host`) get their status and leave the
//!   server serving, a half-sent request holds up no one else, pipelined
//!   requests on one connection are answered in order, and ambiguous
//!   requests (two `Content-Length`s, two `Host`s) are refused as RFC 9112
//!   says;
//! - 200 concurrent clients are all answered.
//!
//! Every wait is a bounded poll with a message saying what was awaited
//! and what was seen last. Every process (the example and, through its
//! parent-death signal, its node and servers) is killed by pid when its
//! test ends, pass or fail.

#[allow(dead_code)] // the helpers other test files use
mod http_client;
#[allow(dead_code)] // the helpers other test files use
mod net_support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use net_support::Proc;
use serde_json::Value;

use http_client::{Answer, Conn};

/// How long the example may take to start its node, servers and
/// dashboard (the first start also loads the executable).
const START_WAIT: Duration = Duration::from_secs(60);

/// How long a change (a job's start or end, a suspension) may take to
/// show on the dashboard.
const CHANGE_WAIT: Duration = Duration::from_secs(20);

/// How long a thing that must not happen is watched for.
const QUIET: Duration = Duration::from_secs(2);

/// The header that carries the access token.
const TOKEN_HEADER: &str = "X-Dispycos-Token";

/// Seconds since the Unix epoch.
fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Calls `probe` every 50 ms until it gives `Ok`, for at most `limit`;
/// fails naming `what` and the last `Err` (what was seen instead).
fn poll<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        match probe() {
            Ok(value) => return value,
            Err(seen) if Instant::now() >= deadline => {
                panic!("{what}: not within {limit:?}; last seen: {seen}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Calls `probe` every 50 ms for `quiet`, failing as soon as it gives
/// `Err` (a bounded check that nothing changes).
fn hold(what: &str, quiet: Duration, mut probe: impl FnMut() -> Result<(), String>) {
    let deadline = Instant::now() + quiet;
    while Instant::now() < deadline {
        if let Err(seen) = probe() {
            panic!("{what}: broken: {seen}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `value[key]` as a number, failing with the value shown.
fn num(value: &Value, key: &str) -> f64 {
    value[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {value}"))
}

/// `value[key]` as a whole number, failing with the value shown.
fn int(value: &Value, key: &str) -> u64 {
    value[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is not a count in {value}"))
}

/// `value[key]` as text, failing with the value shown.
fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not text in {value}"))
}

/// `value` as a list, failing with the value shown.
fn list(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a JSON list: {value}"))
}

/// The four job counts of a node or server, as
/// `(submitted, running, done, failed)`.
fn counts(value: &Value) -> (u64, u64, u64, u64) {
    (
        int(value, "tasks_submitted"),
        int(value, "tasks_running"),
        int(value, "tasks_done"),
        int(value, "tasks_failed"),
    )
}

/// A time stamp of the last few minutes (the tests' own clock and the
/// dashboard's are the machine's).
fn assert_recent(value: &Value, key: &str) {
    let at = num(value, key);
    let age = now() - at;
    assert!(
        (-5.0..600.0).contains(&age),
        "{key} {at} is not a recent time (now {}) in {value}",
        now()
    );
}

/// The example running with its dashboard.
struct Dashboard {
    proc: Proc,
    port: u16,
    token: String,
    /// The server locations the node printed, sorted.
    servers: Vec<String>,
}

impl Dashboard {
    /// Starts `dispycos_httpd1` with its own node of 2 servers and the
    /// dashboard on a free port; waits for the dashboard's address and
    /// the servers, then for the node to be ready on the dashboard.
    fn start(name: &str) -> Dashboard {
        Dashboard::start_bin(name, env!("CARGO_BIN_EXE_dispycos_httpd1"))
    }

    /// As [`start`](Dashboard::start), for the example `bin`.
    fn start_bin(name: &str, bin: &str) -> Dashboard {
        let mut proc = Proc::spawn(name, bin, &["--port", "0"]);
        let line = proc.expect_by("announcing the dashboard", START_WAIT, |l| {
            l.starts_with("Started HTTP server at ")
        });
        let url = line.trim_start_matches("Started HTTP server at ");
        let (port, token) = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.split_once("/cluster.html#token="))
            .unwrap_or_else(|| panic!("not the dashboard's address: {line:?}"));
        let port: u16 = port
            .parse()
            .unwrap_or_else(|err| panic!("bad port in {line:?}: {err}"));
        assert!(
            token.len() >= 16 && token.bytes().all(|b| b.is_ascii_alphanumeric()),
            "a token that is not a long random word: {token:?}"
        );
        let token = token.to_owned();
        let mut servers: Vec<String> = (0..2)
            .map(|_| {
                let line = proc.expect_by("announcing a server", START_WAIT, |l| {
                    l.starts_with("dispycos server ")
                });
                line.rsplit(' ').next().unwrap_or_default().to_owned()
            })
            .collect();
        servers.sort();
        let dashboard = Dashboard {
            proc,
            port,
            token,
            servers,
        };
        dashboard.wait_node("the node ready with 2 servers", START_WAIT, |node| {
            text(node, "status") == "Initialized" && int(node, "servers") == 2
        });
        dashboard
    }

    /// The `Host` header's value for this dashboard.
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Sends `request` on a new connection and reads the answer.
    fn send(&self, request: &[u8]) -> Answer {
        let mut conn = self.connect();
        conn.ask(request).unwrap_or_else(|err| {
            panic!("no answer to {:?}: {err}", String::from_utf8_lossy(request))
        })
    }

    fn connect(&self) -> Conn {
        Conn::open(self.port).unwrap_or_else(|err| panic!("cannot connect to the dashboard: {err}"))
    }

    /// `GET path`.
    fn get(&self, path: &str) -> Answer {
        self.send(&http_client::get(path, &self.host()))
    }

    /// `GET path`, which must answer 200 with JSON.
    fn get_json(&self, path: &str) -> Value {
        let answer = self.get(path);
        assert_eq!(answer.status, 200, "GET {path}: {}", answer.text());
        assert!(
            answer.content_type().starts_with("application/json"),
            "GET {path}: content type {:?}",
            answer.content_type()
        );
        answer.json()
    }

    /// `POST path` with `fields`, and `token` in the token header (none
    /// without).
    fn post_as(&self, path: &str, fields: &[(&str, &str)], token: Option<&str>) -> Answer {
        let headers: Vec<(&str, &str)> = token.map(|t| (TOKEN_HEADER, t)).into_iter().collect();
        let body = http_client::form(fields);
        self.send(&http_client::request(
            "POST",
            path,
            &self.host(),
            &headers,
            &body,
        ))
    }

    /// `POST path` with `fields` and the right token.
    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.post_as(path, fields, Some(&self.token))
    }

    /// `POST path` with the token, which must answer 200 with JSON.
    fn post_json(&self, path: &str, fields: &[(&str, &str)]) -> Value {
        let answer = self.post(path, fields);
        assert_eq!(
            answer.status,
            200,
            "POST {path} {fields:?}: {}",
            answer.text()
        );
        assert!(
            answer.content_type().starts_with("application/json"),
            "POST {path}: content type {:?}",
            answer.content_type()
        );
        answer.json()
    }

    /// The one node `/cluster_status` lists.
    fn node(&self) -> Value {
        let nodes = self.get_json("/cluster_status");
        let nodes = list(&nodes);
        assert_eq!(nodes.len(), 1, "one node expected: {nodes:?}");
        nodes[0].clone()
    }

    /// Waits until the node of `/cluster_status` passes `test`.
    fn wait_node(&self, what: &str, limit: Duration, test: impl Fn(&Value) -> bool) -> Value {
        poll(what, limit, || {
            let nodes = self.get_json("/cluster_status");
            match list(&nodes).as_slice() {
                [node] if test(node) => Ok(node.clone()),
                _ => Err(nodes.to_string()),
            }
        })
    }

    /// `/node_info` of 127.0.0.1.
    fn node_info(&self) -> Value {
        self.post_json("/node_info", &[("host", "127.0.0.1")])
    }

    /// `/server_info` of the server at `location`, all its jobs.
    fn server_info(&self, location: &str) -> Value {
        self.post_json("/server_info", &[("location", location)])
    }

    /// The task strings of the jobs `/server_info` lists for `location`.
    fn jobs_at(&self, location: &str) -> Vec<String> {
        let info = self.server_info(location);
        list(&info["tasks"])
            .iter()
            .map(|job| text(job, "task").to_owned())
            .collect()
    }

    /// The status `/node_info` gives the server at `location`.
    fn server_status(&self, location: &str) -> String {
        let info = self.node_info();
        list(&info["servers"])
            .iter()
            .find(|s| s["location"] == location)
            .map(|s| text(s, "status").to_owned())
            .unwrap_or_else(|| panic!("no server {location} in {info}"))
    }

    /// Starts a job of `secs` seconds: its task string
    /// (`compute/ID@IP:PORT`, the server's location after the `@`).
    fn run_job(&mut self, secs: &str) -> String {
        self.proc.send(secs);
        let line =
            self.proc
                .expect_by(&format!("starting the job of {secs} s"), CHANGE_WAIT, |l| {
                    l.starts_with("  job ") && l.contains(&format!(" ({secs} s) "))
                });
        let (_, task) = line
            .split_once(" started: ")
            .unwrap_or_else(|| panic!("the job did not start: {line:?}"));
        let task = task.to_owned();
        let at = server_of(&task);
        assert!(
            self.servers.iter().any(|s| s == at),
            "job {task} is at none of the servers {:?}",
            self.servers
        );
        task
    }
}

/// The server location in a task string (`name/id@IP:PORT`).
fn server_of(task: &str) -> &str {
    task.rsplit_once('@')
        .unwrap_or_else(|| panic!("not a task string: {task:?}"))
        .1
}

/// Runs 3 jobs of 300 s and one of 0.2 s, and waits for the short one to
/// end: the long ones, and a server that runs two of them (3 jobs on 2
/// servers).
fn run_jobs(dashboard: &mut Dashboard) -> (Vec<String>, String) {
    let long: Vec<String> = (0..3).map(|_| dashboard.run_job("300")).collect();
    dashboard.run_job("0.2");
    dashboard.wait_node("3 jobs running and 1 done", CHANGE_WAIT, |node| {
        counts(node) == (4, 3, 1, 0)
    });
    let busy = dashboard
        .servers
        .iter()
        .find(|s| long.iter().filter(|t| server_of(t) == s.as_str()).count() >= 2)
        .expect("3 jobs on 2 servers: one has two")
        .clone();
    (long, busy)
}

/// `/cluster_status`, `/cluster_updates`, `/cluster_summary` and
/// `/metrics` show the node, its 2 servers and its jobs: 4 submitted, 3
/// running, the short one done with its latency.
#[test]
fn cluster_reads_show_the_node_its_jobs_and_metrics() {
    let mut dashboard = Dashboard::start("httpd-cluster-reads");
    run_jobs(&mut dashboard);

    // /cluster_status: the contract's fields, and avail_info once read.
    let node = dashboard.wait_node("a reading of the node", CHANGE_WAIT, |node| {
        node["avail_info"].is_object()
    });
    assert_eq!(text(&node, "addr"), "127.0.0.1", "{node}");
    assert!(text(&node, "name").ends_with("_dispycosnode"), "{node}");
    assert_eq!(text(&node, "status"), "Initialized", "{node}");
    assert_eq!(int(&node, "servers"), 2, "{node}");
    assert_eq!(counts(&node), (4, 3, 1, 0), "{node}");
    assert_eq!(int(&node, "cpus"), 2, "{node}");
    assert!(!text(&node, "platform").is_empty(), "{node}");
    assert_recent(&node, "update_time");
    let seq = int(&node, "seq");
    assert!(seq > 0, "{node}");
    let avail = &node["avail_info"];
    assert!(avail["location"].is_null(), "{avail}");
    let cpu = &avail["cpu"];
    assert!(
        cpu.is_null() || cpu.as_f64().is_some_and(|c| (0.0..=100.0).contains(&c)),
        "cpu busy is not a percentage: {avail}"
    );
    assert!(int(avail, "memory") > 0, "{avail}");
    assert!(avail["disk"].is_null() || avail["disk"].is_u64(), "{avail}");
    let swap = &avail["swap"];
    assert!(
        swap.is_null() || swap.as_f64().is_some_and(|s| (0.0..=100.0).contains(&s)),
        "swap is not a percentage: {avail}"
    );

    // /cluster_updates without `since`: the first call takes the changes,
    // an immediate second one has none (unless the node really changed
    // between the two, which shows as a larger seq).
    poll(
        "an empty /cluster_updates right after another",
        CHANGE_WAIT,
        || {
            let first = dashboard.get_json("/cluster_updates");
            let second = dashboard.get_json("/cluster_updates");
            let first_seq = list(&first)
                .iter()
                .map(|n| int(n, "seq"))
                .max()
                .unwrap_or(0);
            for node in list(&second) {
                assert!(
                    int(node, "seq") > first_seq,
                    "a node that did not change came again: {first} then {second}"
                );
            }
            if list(&second).is_empty() {
                Ok(())
            } else {
                Err(format!("{first} then {second}"))
            }
        },
    );
    // Every node comes in a first call after a change... and `since`
    // answers per caller, whatever other calls took.
    let seq = int(&dashboard.node(), "seq");
    let before = dashboard.get_json(&format!("/cluster_updates?since={}", seq - 1));
    assert_eq!(list(&before).len(), 1, "since={}: {before}", seq - 1);
    assert_eq!(text(&before[0], "addr"), "127.0.0.1", "{before}");
    assert!(int(&before[0], "seq") >= seq, "{before}");
    let again = dashboard.get_json(&format!("/cluster_updates?since={}", seq - 1));
    assert_eq!(
        list(&again).len(),
        1,
        "since is per caller: a second call gives the node again: {again}"
    );
    let after = dashboard.get_json(&format!("/cluster_updates?since={seq}"));
    for node in list(&after) {
        assert!(
            int(node, "seq") > seq,
            "since={seq} gave an older node: {after}"
        );
    }
    assert_eq!(
        list(&dashboard.get_json("/cluster_updates?since=0")).len(),
        1,
        "since=0 lists every node"
    );
    let bad = dashboard.get("/cluster_updates?since=soon");
    assert_eq!(bad.status, 400, "since=soon: {}", bad.text());
    assert!(bad.json()["error"].is_string(), "{}", bad.text());

    // /cluster_summary: totals, settings, the done series and latency.
    let summary = dashboard.get_json("/cluster_summary");
    assert_recent(&summary, "time");
    assert_eq!(
        num(&summary, "poll_sec"),
        2.0,
        "the example's --poll: {summary}"
    );
    assert_eq!(summary["show_task_args"], true, "{summary}");
    assert!(
        text(&summary, "client").starts_with("dispycos client"),
        "{summary}"
    );
    assert_eq!(int(&summary, "nodes"), 1, "{summary}");
    assert_eq!(int(&summary, "servers"), 2, "{summary}");
    let jobs = &summary["jobs"];
    assert_eq!(
        (
            int(jobs, "submitted"),
            int(jobs, "running"),
            int(jobs, "done"),
            int(jobs, "failed")
        ),
        (4, 3, 1, 0),
        "{summary}"
    );
    let series = &summary["done_series"];
    assert_eq!(num(series, "bucket_sec"), 5.0, "{series}");
    let start = num(series, "start");
    assert_eq!(
        start % 5.0,
        0.0,
        "buckets start at multiples of 5 s: {series}"
    );
    let done_counts: Vec<u64> = list(&series["counts"])
        .iter()
        .map(|c| c.as_u64().unwrap_or_else(|| panic!("{series}")))
        .collect();
    assert!(
        !done_counts.is_empty() && done_counts.len() <= 120,
        "{series}"
    );
    assert_eq!(
        done_counts.iter().sum::<u64>(),
        1,
        "the short job's end: {series}"
    );
    let last_bucket_end = start + 5.0 * done_counts.len() as f64;
    assert!(
        last_bucket_end >= num(&summary, "time"),
        "the last bucket is the current one: {summary}"
    );
    let latency = &summary["latency"];
    let bounds = list(&latency["bounds"]);
    let latency_counts = list(&latency["counts"]);
    assert_eq!(bounds.len(), 11, "{latency}");
    assert_eq!(
        latency_counts.len(),
        bounds.len() + 1,
        "one more count than bounds: {latency}"
    );
    assert!(int(latency, "count") >= 1, "{latency}");
    let total: u64 = latency_counts.iter().filter_map(Value::as_u64).sum();
    assert_eq!(total, int(latency, "count"), "{latency}");
    for p in ["p50", "p90", "p99"] {
        let value = num(latency, p);
        assert!(value > 0.0 && value < 60.0, "{p} of a 0.2 s job: {latency}");
    }

    // /metrics: Prometheus text with the same numbers.
    let metrics = dashboard.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(
        metrics.content_type().starts_with("text/plain"),
        "{:?}",
        metrics.content_type()
    );
    let metrics = metrics.text();
    let sample = |name: &str| -> f64 {
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("no sample {name} in\n{metrics}"))
    };
    assert_eq!(sample("dispycos_jobs_running"), 3.0, "{metrics}");
    assert_eq!(sample("dispycos_jobs_submitted_total"), 4.0, "{metrics}");
    assert_eq!(sample("dispycos_jobs_done_total"), 1.0, "{metrics}");
    assert_eq!(sample("dispycos_jobs_failed_total"), 0.0, "{metrics}");
    assert_eq!(sample("dispycos_nodes{status=\"Initialized\"}"), 1.0);
    assert_eq!(sample("dispycos_servers{status=\"Initialized\"}"), 2.0);
    let count = sample("dispycos_job_duration_seconds_count");
    assert!(count >= 1.0, "{metrics}");
    assert_eq!(
        sample("dispycos_job_duration_seconds_bucket{le=\"+Inf\"}"),
        count,
        "+Inf bucket equals _count"
    );
    assert!(
        sample("dispycos_job_duration_seconds_sum") > 0.1,
        "{metrics}"
    );
    assert!(metrics.contains("# TYPE dispycos_job_duration_seconds histogram\n"));
    let mut previous = 0.0;
    for line in metrics
        .lines()
        .filter(|l| l.starts_with("dispycos_job_duration_seconds_bucket"))
    {
        let value: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(
            value >= previous,
            "buckets are cumulative: {line}\n{metrics}"
        );
        previous = value;
    }
}

/// The pages and files are served with their content types, `/` is the
/// cluster page, anything else is a 404 with a body, and a method that
/// is neither GET, HEAD nor POST is a 405 naming the allowed ones.
#[test]
fn pages_are_served_and_unknown_paths_and_methods_are_refused() {
    let dashboard = Dashboard::start("httpd-pages");
    let cluster = dashboard.get("/cluster.html");
    for (path, kind, mark) in [
        ("/", "text/html", "data-page=\"cluster\""),
        ("/index.html", "text/html", "data-page=\"cluster\""),
        ("/cluster.html", "text/html", "data-page=\"cluster\""),
        ("/node.html", "text/html", "data-page=\"node\""),
        ("/server.html", "text/html", "data-page=\"server\""),
        (
            "/dashboard.js",
            "text/javascript",
            "/cluster_updates?since=",
        ),
        ("/dashboard.css", "text/css", "prefers-color-scheme"),
        ("/favicon.svg", "image/svg+xml", "<svg"),
    ] {
        let answer = dashboard.get(path);
        assert_eq!(answer.status, 200, "GET {path}: {}", answer.text());
        assert!(
            answer.content_type().starts_with(kind),
            "GET {path}: content type {:?}, not {kind}",
            answer.content_type()
        );
        assert!(!answer.body.is_empty(), "GET {path}: an empty file");
        assert!(answer.text().contains(mark), "GET {path} lacks {mark:?}");
        assert!(
            answer.header("content-security-policy").is_some(),
            "GET {path}: the pages' CSP"
        );
    }
    assert_eq!(
        dashboard.get("/").body,
        cluster.body,
        "/ is the cluster page"
    );

    // HEAD: the headers of the GET, no body.
    let mut conn = dashboard.connect();
    conn.send_raw(&http_client::request(
        "HEAD",
        "/cluster.html",
        &dashboard.host(),
        &[],
        "",
    ))
    .unwrap();
    let head = conn.read_answer(true).unwrap();
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(cluster.body.len().to_string().as_str())
    );
    let next = conn
        .ask(&http_client::get("/cluster_status", &dashboard.host()))
        .expect("the connection goes on after a HEAD");
    assert_eq!(
        next.status, 200,
        "HEAD sent no body: the next answer reads clean"
    );

    for path in ["/nope", "/../Cargo.toml", "/cluster.html/x", "/node_info"] {
        let answer = dashboard.get(path);
        assert_eq!(answer.status, 404, "GET {path}: {}", answer.text());
        assert!(!answer.body.is_empty(), "a 404 has a body");
    }
    // The links between pages carry a query: the page is served all the same.
    let location = dashboard.servers[0].clone();
    for (page, query) in [
        ("/node.html", "?host=127.0.0.1".to_owned()),
        ("/server.html", format!("?location={location}")),
    ] {
        let plain = dashboard.get(page);
        let linked = dashboard.get(&format!("{page}{query}"));
        assert_eq!(linked.status, 200, "GET {page}{query}: {}", linked.text());
        assert_eq!(linked.body, plain.body, "{page}{query} is {page}");
    }

    let post = dashboard.post("/nope", &[]);
    assert_eq!(post.status, 404, "POST /nope: {}", post.text());
    assert!(post.json()["error"].is_string(), "{}", post.text());

    for method in ["DELETE", "PUT", "PATCH"] {
        let answer = dashboard.send(&http_client::request(
            method,
            "/cluster_status",
            &dashboard.host(),
            &[],
            "",
        ));
        assert_eq!(answer.status, 405, "{method}: {}", answer.text());
        let allow = answer
            .header("allow")
            .unwrap_or_else(|| panic!("a 405 without Allow: {answer:?}"));
        for allowed in ["GET", "POST"] {
            assert!(allow.contains(allowed), "Allow: {allow}");
        }
    }
}

/// `/node_info` and `/server_info` describe the node, its servers (at
/// the locations the node printed) and the running jobs with their
/// arguments; unknown ones are `{}` and bad ones 400.
#[test]
fn node_and_server_info_describe_servers_and_running_jobs() {
    let mut dashboard = Dashboard::start("httpd-info");
    let (long, busy) = run_jobs(&mut dashboard);

    let node = dashboard.node_info();
    assert_eq!(text(&node, "addr"), "127.0.0.1", "{node}");
    assert_eq!(text(&node, "status"), "Initialized", "{node}");
    assert_eq!(counts(&node), (4, 3, 1, 0), "{node}");
    assert!(text(&node, "name").ends_with("_dispycosnode"), "{node}");
    for key in ["update_time", "avail_info", "cpus", "platform"] {
        assert!(node.get(key).is_some(), "node_info lacks {key}: {node}");
    }
    let servers = list(&node["servers"]);
    let locations: Vec<String> = servers
        .iter()
        .map(|s| text(s, "location").to_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(locations, dashboard.servers, "the servers the node printed");
    let mut running = 0;
    for server in servers {
        assert_eq!(text(server, "status"), "Initialized", "{server}");
        assert_recent(server, "update_time");
        let location = text(server, "location");
        let expected = long.iter().filter(|t| server_of(t) == location).count() as u64;
        assert_eq!(
            int(server, "tasks_running"),
            expected,
            "{server} runs {long:?}"
        );
        running += int(server, "tasks_running");
    }
    assert_eq!(running, 3);

    // The busy server: its two long jobs, with their arguments.
    let info = dashboard.server_info(&busy);
    assert_eq!(text(&info, "location"), busy, "{info}");
    assert_eq!(text(&info, "node"), "127.0.0.1", "{info}");
    assert_eq!(text(&info, "status"), "Initialized", "{info}");
    assert_recent(&info, "update_time");
    let jobs = list(&info["tasks"]);
    let mine: BTreeSet<&str> = long
        .iter()
        .filter(|t| server_of(t) == busy)
        .map(String::as_str)
        .collect();
    let listed: BTreeSet<&str> = jobs.iter().map(|j| text(j, "task")).collect();
    assert_eq!(listed, mine, "the running jobs of {busy}: {info}");
    assert_eq!(int(&info, "tasks_running"), jobs.len() as u64, "{info}");
    for job in jobs {
        assert!(text(job, "name").ends_with("compute"), "{job}");
        let args = text(job, "args");
        let parsed: Value = serde_json::from_str(args)
            .unwrap_or_else(|err| panic!("args {args:?} is not JSON: {err}"));
        assert_eq!(parsed[0]["n"], 300.0, "the job's argument: {job}");
        assert!(args.contains("\"n\":300.0"), "{job}");
        assert_eq!(text(job, "kwargs"), "", "{job}");
        assert_recent(job, "start_time");
    }
    let one = dashboard.post_json("/server_info", &[("location", &busy), ("limit", "1")]);
    assert_eq!(list(&one["tasks"]).len(), 1, "limit=1: {one}");
    assert_eq!(one["tasks"][0], jobs[0], "limit=1 gives the first job");
    let all = dashboard.post_json("/server_info", &[("location", &busy), ("limit", "0")]);
    assert_eq!(
        list(&all["tasks"]).len(),
        jobs.len(),
        "limit=0 is all: {all}"
    );

    // Unknown: {}; malformed: 400 with an error.
    for (path, field, value) in [
        ("/node_info", "host", "10.255.255.1"),
        ("/server_info", "location", "127.0.0.1:1"),
        ("/server_info", "location", "10.255.255.1:4000"),
    ] {
        let answer = dashboard.post_json(path, &[(field, value)]);
        assert_eq!(answer, serde_json::json!({}), "{path} {field}={value}");
    }
    for (path, fields) in [
        ("/node_info", vec![("host", "nope")]),
        ("/node_info", vec![]),
        ("/server_info", vec![("location", "127.0.0.1")]),
        ("/server_info", vec![]),
        (
            "/server_info",
            vec![("location", busy.as_str()), ("limit", "some")],
        ),
    ] {
        let answer = dashboard.post(path, &fields);
        assert_eq!(answer.status, 400, "{path} {fields:?}: {}", answer.text());
        assert!(answer.json()["error"].is_string(), "{}", answer.text());
    }
}

/// The contract names a job in `/server_info` as its task string does:
/// `"task": "compute/12@…", "name": "compute"`.
#[test]
fn server_info_names_a_job_by_its_remote_function() {
    let mut dashboard = Dashboard::start("httpd-job-name");
    let task = dashboard.run_job("300");
    let at = server_of(&task);
    let info = poll("the job on its server", CHANGE_WAIT, || {
        let info = dashboard.server_info(at);
        if list(&info["tasks"]).is_empty() {
            Err(info.to_string())
        } else {
            Ok(info)
        }
    });
    let job = &info["tasks"][0];
    assert_eq!(text(job, "task"), task, "{info}");
    // The task string has the function's own name; `name` is the remote
    // function's full path, which tells apart two of the same name.
    let (function, _) = task.split_once('/').expect("name/id@location");
    assert_eq!(
        text(job, "name"),
        format!("dispycos_httpd1::{function}"),
        "the job's name is its remote function's path: {job}"
    );
}

/// `/update` sets the poll interval (at least 1 s) and whether arguments
/// show; suspend and resume of a server and of the node show in the
/// statuses; `/terminate_tasks` ends a job, which leaves its server's
/// list and counts as failed.
#[test]
fn settings_and_actions_take_effect() {
    let mut dashboard = Dashboard::start("httpd-actions");
    let (long, busy) = run_jobs(&mut dashboard);

    // /update: the poll interval, clamped, and the arguments' display.
    let answer = dashboard.post_json("/update", &[("timeout", "0.2")]);
    assert_eq!(num(&answer, "poll_sec"), 1.0, "clamped to 1 s: {answer}");
    assert_eq!(answer["show_task_args"], true, "{answer}");
    assert_eq!(
        num(&dashboard.get_json("/cluster_summary"), "poll_sec"),
        1.0
    );
    let answer = dashboard.post_json("/update", &[("timeout", "-5")]);
    assert_eq!(num(&answer, "poll_sec"), 1.0, "clamped to 1 s: {answer}");
    let answer = dashboard.post_json("/update", &[("timeout", "7")]);
    assert_eq!(num(&answer, "poll_sec"), 7.0, "{answer}");
    let answer = dashboard.post_json("/update", &[("show_task_args", "false")]);
    assert_eq!(answer["show_task_args"], false, "{answer}");
    assert_eq!(
        num(&answer, "poll_sec"),
        7.0,
        "the interval stays: {answer}"
    );
    assert_eq!(
        dashboard.get_json("/cluster_summary")["show_task_args"],
        false
    );
    let hidden = dashboard.server_info(&busy);
    assert!(!list(&hidden["tasks"]).is_empty(), "{hidden}");
    for job in list(&hidden["tasks"]) {
        assert_eq!(text(job, "args"), "", "arguments hidden: {job}");
    }
    for bad in [
        ("timeout", "soon"),
        ("timeout", "inf"),
        ("show_task_args", "maybe"),
    ] {
        let answer = dashboard.post("/update", &[bad]);
        assert_eq!(answer.status, 400, "{bad:?}: {}", answer.text());
        assert!(answer.json()["error"].is_string(), "{}", answer.text());
    }
    let answer = dashboard.post_json("/update", &[("show_task_args", "true")]);
    assert_eq!(answer["show_task_args"], true, "{answer}");
    assert_eq!(
        num(&answer, "poll_sec"),
        7.0,
        "bad values changed nothing: {answer}"
    );
    let shown = dashboard.server_info(&busy);
    for job in list(&shown["tasks"]) {
        assert!(
            text(job, "args").contains("\"n\":300.0"),
            "arguments shown: {job}"
        );
    }

    // Suspend and resume one server: only it changes.
    let other = dashboard
        .servers
        .iter()
        .find(|s| **s != busy)
        .unwrap()
        .clone();
    let servers = format!("[\"{busy}\"]");
    let answer = dashboard.post_json("/suspend_server", &[("servers", &servers)]);
    assert_eq!(answer, serde_json::json!({"done": [&busy], "failed": []}));
    poll("the server suspended", CHANGE_WAIT, || {
        match dashboard.server_status(&busy).as_str() {
            "Suspended" => Ok(()),
            other => Err(other.to_owned()),
        }
    });
    assert_eq!(
        dashboard.server_status(&other),
        "Initialized",
        "only {busy} is suspended"
    );
    assert_eq!(text(&dashboard.server_info(&busy), "status"), "Suspended");
    let answer = dashboard.post_json("/resume_server", &[("servers", &servers)]);
    assert_eq!(answer, serde_json::json!({"done": [&busy], "failed": []}));
    poll("the server resumed", CHANGE_WAIT, || {
        match dashboard.server_status(&busy).as_str() {
            "Initialized" => Ok(()),
            other => Err(other.to_owned()),
        }
    });

    // Suspend and resume the node.
    let nodes = r#"["127.0.0.1"]"#;
    let answer = dashboard.post_json("/suspend_node", &[("nodes", nodes)]);
    assert_eq!(
        answer,
        serde_json::json!({"done": ["127.0.0.1"], "failed": []})
    );
    dashboard.wait_node("the node suspended", CHANGE_WAIT, |node| {
        node["status"] == "Suspended"
    });
    assert_eq!(text(&dashboard.node_info(), "status"), "Suspended");
    let answer = dashboard.post_json("/resume_node", &[("nodes", nodes)]);
    assert_eq!(
        answer,
        serde_json::json!({"done": ["127.0.0.1"], "failed": []})
    );
    dashboard.wait_node("the node resumed", CHANGE_WAIT, |node| {
        node["status"] == "Initialized"
    });

    // Targets the cluster does not have fail one by one; malformed lists
    // are a 400.
    let answer = dashboard.post_json("/suspend_node", &[("nodes", r#"["10.255.255.1"]"#)]);
    assert_eq!(answer["done"], serde_json::json!([]), "{answer}");
    assert_eq!(answer["failed"][0]["target"], "10.255.255.1", "{answer}");
    assert!(answer["failed"][0]["error"].is_string(), "{answer}");
    let answer = dashboard.post_json("/resume_server", &[("servers", r#"["127.0.0.1:1"]"#)]);
    assert_eq!(answer["failed"][0]["target"], "127.0.0.1:1", "{answer}");
    for (path, field, value) in [
        ("/suspend_node", "nodes", "127.0.0.1"),
        ("/suspend_node", "nodes", r#"["nope"]"#),
        ("/resume_node", "servers", r#"["127.0.0.1"]"#),
        ("/suspend_server", "servers", r#"["127.0.0.1"]"#),
        ("/resume_server", "servers", "[1]"),
    ] {
        let answer = dashboard.post(path, &[(field, value)]);
        assert_eq!(
            answer.status,
            400,
            "{path} {field}={value}: {}",
            answer.text()
        );
        assert!(answer.json()["error"].is_string(), "{}", answer.text());
    }
    dashboard.wait_node("the node as it was", CHANGE_WAIT, |node| {
        node["status"] == "Initialized" && counts(node) == (4, 3, 1, 0)
    });

    // Terminate one long job (and a task that does not exist).
    let victim = long.iter().find(|t| server_of(t) == busy).unwrap().clone();
    let answer = dashboard.post_json(
        "/terminate_tasks",
        &[("task", &victim), ("task", "compute/999999@127.0.0.1:1")],
    );
    assert_eq!(answer, serde_json::json!([&victim]), "only the known job");
    poll(
        "the terminated job gone from its server",
        CHANGE_WAIT,
        || {
            let jobs = dashboard.jobs_at(&busy);
            if jobs.contains(&victim) {
                Err(format!("{jobs:?}"))
            } else {
                Ok(())
            }
        },
    );
    let node = dashboard.wait_node("the terminated job failed", CHANGE_WAIT, |node| {
        counts(node) == (4, 2, 1, 1)
    });
    assert_eq!(
        int(&dashboard.get_json("/cluster_summary")["jobs"], "failed"),
        1
    );
    for survivor in long.iter().filter(|t| **t != victim) {
        assert!(
            dashboard.jobs_at(server_of(survivor)).contains(survivor),
            "{survivor} still runs: {node}"
        );
    }
    let again = dashboard.post_json("/terminate_tasks", &[("task", &victim)]);
    assert_eq!(again, serde_json::json!([]), "an ended job is unknown");
    let none = dashboard.post_json("/terminate_tasks", &[]);
    assert_eq!(none, serde_json::json!([]), "no task: nothing to terminate");
}

/// Every POST needs the token: without it, or with a wrong one, the
/// answer is 403 with a JSON error and nothing changes; the header's name
/// is read in any case, and GETs need no token.
#[test]
fn posts_without_the_right_token_are_refused_and_change_nothing() {
    let mut dashboard = Dashboard::start("httpd-token");
    let job = dashboard.run_job("300");
    let at = server_of(&job).to_owned();
    poll("the job listed", CHANGE_WAIT, || {
        let jobs = dashboard.jobs_at(&at);
        if jobs.contains(&job) {
            Ok(())
        } else {
            Err(format!("{jobs:?}"))
        }
    });
    let servers = format!("[\"{at}\"]");
    let nodes = r#"["127.0.0.1"]"#;
    let actions: [(&str, Vec<(&str, &str)>); 9] = [
        ("/terminate_tasks", vec![("task", &job)]),
        ("/suspend_node", vec![("nodes", nodes)]),
        ("/suspend_server", vec![("servers", &servers)]),
        (
            "/update",
            vec![("timeout", "60"), ("show_task_args", "false")],
        ),
        ("/resume_node", vec![("nodes", nodes)]),
        ("/resume_server", vec![("servers", &servers)]),
        ("/node_info", vec![("host", "127.0.0.1")]),
        ("/server_info", vec![("location", &at)]),
        ("/nope", vec![]),
    ];
    let mut wrong = dashboard.token.clone().into_bytes();
    wrong[0] = if wrong[0] == b'a' { b'b' } else { b'a' };
    let wrong = String::from_utf8(wrong).unwrap();
    let longer = format!("{}0", dashboard.token);
    let shorter = dashboard.token[..dashboard.token.len() - 1].to_owned();
    let tokens = [
        None,
        Some(""),
        Some(wrong.as_str()),
        Some(longer.as_str()),
        Some(shorter.as_str()),
    ];
    for (path, fields) in &actions {
        for token in tokens {
            let answer = dashboard.post_as(path, fields, token);
            assert_eq!(
                answer.status,
                403,
                "POST {path} with token {token:?}: {}",
                answer.text()
            );
            assert!(
                answer.json()["error"].is_string(),
                "a 403 says why: {}",
                answer.text()
            );
        }
    }
    // A token in the query string or the form is not the header.
    let in_query = dashboard.send(&http_client::request(
        "POST",
        &format!("/terminate_tasks?token={}", dashboard.token),
        &dashboard.host(),
        &[],
        &http_client::form(&[("task", &job), ("token", &dashboard.token)]),
    ));
    assert_eq!(in_query.status, 403, "{}", in_query.text());

    // Nothing changed, then or in the next moments.
    hold("nothing changes after refused POSTs", QUIET, || {
        let node = dashboard.node();
        let summary = dashboard.get_json("/cluster_summary");
        let jobs = dashboard.jobs_at(&at);
        let ok = node["status"] == "Initialized"
            && counts(&node) == (1, 1, 0, 0)
            && dashboard.server_status(&at) == "Initialized"
            && summary["poll_sec"] == 2.0
            && summary["show_task_args"] == true
            && jobs.contains(&job);
        if ok {
            Ok(())
        } else {
            Err(format!("{node} {summary} {jobs:?}"))
        }
    });

    // The right token works, whatever the case of the header's name.
    let lower = TOKEN_HEADER.to_ascii_lowercase();
    let answer = dashboard.send(&http_client::request(
        "POST",
        "/terminate_tasks",
        &dashboard.host(),
        &[(lower.as_str(), &dashboard.token)],
        &http_client::form(&[("task", &job)]),
    ));
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json(), serde_json::json!([&job]));
    dashboard.wait_node("the job terminated", CHANGE_WAIT, |node| {
        counts(node) == (1, 0, 0, 1)
    });
}

/// Malformed requests get their status (and a JSON error), requests for
/// another host are refused, and none stops the server; pipelined
/// requests on one connection are answered in order.
#[test]
fn malformed_requests_are_refused_and_the_server_goes_on() {
    let dashboard = Dashboard::start("httpd-malformed");
    let host = dashboard.host();
    let still_serves = |after: &str| {
        let answer = dashboard.get("/cluster_status");
        assert_eq!(answer.status, 200, "after {after}: {}", answer.text());
        assert_eq!(list(&answer.json()).len(), 1, "after {after}");
    };

    // Bytes that are not HTTP: 400, and the connection is closed.
    let mut conn = dashboard.connect();
    let answer = conn
        .ask(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1garbage\r\n\r\n")
        .expect("an answer to garbage");
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert!(answer.json()["error"].is_string(), "{}", answer.text());
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(conn.is_closed_by_server(), "garbage closes the connection");
    still_serves("garbage");

    // A client that sends half a request and goes silent holds only its
    // own connection: the others are served meanwhile.
    let mut slow = dashboard.connect();
    slow.send_raw(format!("GET /cluster_status HTTP/1.1\r\nHost: {host}\r\nX-A: 1").as_bytes())
        .unwrap();
    still_serves("half a request on another connection");

    // Refused heads: (what, request, status).
    let many_headers: String = (0..80).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    let many_headers = format!("GET /cluster_status HTTP/1.1\r\nHost: H\r\n{many_headers}\r\n");
    let huge = "POST /node_info HTTP/1.1\r\nHost: H\r\nContent-Length: 99999999\r\n\r\n";
    let cases = [
        (
            "a bad Content-Length",
            "POST /node_info HTTP/1.1\r\nHost: H\r\nContent-Length: twelve\r\n\r\n",
            400,
        ),
        (
            "a negative Content-Length",
            "POST /node_info HTTP/1.1\r\nHost: H\r\nContent-Length: -1\r\n\r\n",
            400,
        ),
        (
            "a chunked body",
            "POST /node_info HTTP/1.1\r\nHost: H\r\nTransfer-Encoding: chunked\r\n\r\n\
             9\r\nhost=127.\r\n0\r\n\r\n",
            411,
        ),
        ("a body over the limit", huge, 413),
        ("too many headers", many_headers.as_str(), 431),
    ];
    for (what, request, status) in cases {
        let mut conn = dashboard.connect();
        let answer = conn
            .ask(
                request
                    .replace("Host: H", &format!("Host: {host}"))
                    .as_bytes(),
            )
            .unwrap_or_else(|err| panic!("no answer to {what}: {err}"));
        assert_eq!(answer.status, status, "{what}: {}", answer.text());
        assert!(
            answer.json()["error"].is_string(),
            "{what}: {}",
            answer.text()
        );
        assert_eq!(answer.header("connection"), Some("close"), "{what}");
        assert!(conn.is_closed_by_server(), "{what} closes the connection");
        still_serves(what);
    }

    // A body shorter than its Content-Length, then the end of input.
    let mut conn = dashboard.connect();
    conn.send_raw(
        format!(
            "POST /node_info HTTP/1.1\r\nHost: {host}\r\n{TOKEN_HEADER}: {}\r\n\
             Content-Length: 40\r\n\r\nhost=127",
            dashboard.token
        )
        .as_bytes(),
    )
    .unwrap();
    conn.end_writes().unwrap();
    let answer = conn.read_answer(false).expect("an answer to a short body");
    assert_eq!(answer.status, 400, "a short body: {}", answer.text());
    still_serves("a short body");

    // Another site's name for 127.0.0.1 (DNS rebinding): 421, for GETs
    // and for POSTs even with the token; no Host at all: 400.
    for host in ["evil.example", "evil.example:PORT", "127.0.0.1:1"] {
        let host = host.replace("PORT", &dashboard.port.to_string());
        let get = dashboard.send(&http_client::get("/cluster_status", &host));
        assert_eq!(get.status, 421, "Host: {host}: {}", get.text());
        assert!(get.json()["error"].is_string(), "{}", get.text());
        let post = dashboard.send(&http_client::request(
            "POST",
            "/suspend_node",
            &host,
            &[(TOKEN_HEADER, &dashboard.token)],
            &http_client::form(&[("nodes", r#"["127.0.0.1"]"#)]),
        ));
        assert_eq!(post.status, 421, "POST with Host: {host}: {}", post.text());
        still_serves(&format!("Host: {host}"));
    }
    let no_host = dashboard.send(b"GET /cluster_status HTTP/1.1\r\n\r\n");
    assert_eq!(no_host.status, 400, "no Host: {}", no_host.text());
    let localhost = dashboard.send(&http_client::request(
        "GET",
        "/cluster_status",
        &format!("localhost:{}", dashboard.port),
        &[],
        "",
    ));
    assert_eq!(localhost.status, 200, "Host: localhost:PORT is ours");
    hold("the refused suspension did nothing", QUIET, || {
        let node = dashboard.node();
        if node["status"] == "Initialized" {
            Ok(())
        } else {
            Err(node.to_string())
        }
    });

    // Three requests in one write on a keep-alive connection: three
    // answers, in order, and the connection stays open.
    let mut conn = dashboard.connect();
    let mut pipelined = http_client::get("/cluster_summary", &host);
    pipelined.extend(http_client::get("/nope", &host));
    pipelined.extend(http_client::request(
        "POST",
        "/node_info",
        &host,
        &[(TOKEN_HEADER, &dashboard.token)],
        &http_client::form(&[("host", "127.0.0.1")]),
    ));
    conn.send_raw(&pipelined).unwrap();
    let first = conn.read_answer(false).expect("the first answer");
    let second = conn.read_answer(false).expect("the second answer");
    let third = conn.read_answer(false).expect("the third answer");
    assert_eq!(first.status, 200, "{}", first.text());
    assert!(
        first.json()["latency"].is_object(),
        "the summary first: {}",
        first.text()
    );
    assert_eq!(second.status, 404, "the 404 second: {}", second.text());
    assert_eq!(third.status, 200, "{}", third.text());
    assert_eq!(list(&third.json()["servers"]).len(), 2, "node_info third");
    for answer in [&first, &second, &third] {
        assert_eq!(
            answer.header("connection"),
            Some("keep-alive"),
            "{answer:?}"
        );
    }
    let fourth = conn
        .ask(&http_client::get("/cluster_status", &host))
        .expect("the connection stays open");
    assert_eq!(fourth.status, 200);
    // `Connection: close` is honoured.
    let last = conn
        .ask(&http_client::request(
            "GET",
            "/cluster_status",
            &host,
            &[("Connection", "close")],
            "",
        ))
        .unwrap();
    assert_eq!(last.status, 200);
    assert_eq!(last.header("connection"), Some("close"));
    assert!(conn.is_closed_by_server(), "closed after Connection: close");

    // The slow client, served all along: its request completes.
    slow.send_raw(b"\r\n\r\n").unwrap();
    let answer = slow.read_answer(false).expect("the slow client's answer");
    assert_eq!(answer.status, 200, "the slow request: {}", answer.text());
}

/// Two `Content-Length` headers that disagree leave the body's end in
/// doubt (RFC 9112 §6.3: an unrecoverable error, answered 400), whichever
/// one the server would pick.
#[test]
fn conflicting_content_lengths_are_refused() {
    let dashboard = Dashboard::start("httpd-two-lengths");
    let body = "host=127.0.0.1";
    for (first, second) in [(body.len(), 5), (5, body.len())] {
        let request = format!(
            "POST /node_info HTTP/1.1\r\nHost: {}\r\n{TOKEN_HEADER}: {}\r\n\
             Content-Length: {first}\r\nContent-Length: {second}\r\n\r\n{body}",
            dashboard.host(),
            dashboard.token,
        );
        let answer = dashboard.send(request.as_bytes());
        assert_eq!(
            answer.status,
            400,
            "Content-Length {first} then {second}: {} {}",
            answer.status,
            answer.text()
        );
        assert!(
            answer.text().contains("Content-Length"),
            "refused for its lengths: {}",
            answer.text()
        );
    }
}

/// A request with two `Host` headers is refused (RFC 9112 §3.2: 400):
/// the check of the dashboard's own address must not pass on the first
/// one while another names a different site.
#[test]
fn a_request_with_two_host_headers_is_refused() {
    let dashboard = Dashboard::start("httpd-two-hosts");
    let request = format!(
        "GET /cluster_status HTTP/1.1\r\nHost: {}\r\nHost: evil.example\r\n\r\n",
        dashboard.host()
    );
    let answer = dashboard.send(request.as_bytes());
    assert!(
        matches!(answer.status, 400 | 421),
        "Host: {} and Host: evil.example: {} {}",
        dashboard.host(),
        answer.status,
        answer.text()
    );
}

/// 200 clients at once, each on its own connection: three GETs of
/// `/cluster_status` and a POST of `/node_info` with the token, all 200
/// with the node in them, within a deadline.
#[test]
fn two_hundred_concurrent_clients_are_all_answered() {
    const CLIENTS: usize = 200;
    const DEADLINE: Duration = Duration::from_secs(90);
    let dashboard = Dashboard::start("httpd-concurrent");
    let (port, host, token) = (dashboard.port, dashboard.host(), dashboard.token.clone());
    let barrier = std::sync::Barrier::new(CLIENTS);
    let started = Instant::now();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|i| {
                let (host, token, barrier) = (&host, &token, &barrier);
                std::thread::Builder::new()
                    .stack_size(256 << 10)
                    .spawn_scoped(scope, move || -> Result<(), String> {
                        barrier.wait();
                        let mut conn =
                            Conn::open(port).map_err(|e| format!("client {i}: connect: {e}"))?;
                        for round in 0..3 {
                            let answer = conn
                                .ask(&http_client::get("/cluster_status", host))
                                .map_err(|e| format!("client {i} GET {round}: {e}"))?;
                            let nodes: Value = serde_json::from_slice(&answer.body)
                                .map_err(|e| format!("client {i} GET {round}: {e}"))?;
                            if answer.status != 200 || nodes[0]["addr"] != "127.0.0.1" {
                                return Err(format!(
                                    "client {i} GET {round}: {} {nodes}",
                                    answer.status
                                ));
                            }
                        }
                        let answer = conn
                            .ask(&http_client::request(
                                "POST",
                                "/node_info",
                                host,
                                &[(TOKEN_HEADER, token)],
                                &http_client::form(&[("host", "127.0.0.1")]),
                            ))
                            .map_err(|e| format!("client {i} POST: {e}"))?;
                        let node: Value = serde_json::from_slice(&answer.body)
                            .map_err(|e| format!("client {i} POST: {e}"))?;
                        match node["servers"].as_array() {
                            Some(servers) if answer.status == 200 && servers.len() == 2 => Ok(()),
                            _ => Err(format!("client {i} POST: {} {node}", answer.status)),
                        }
                    })
                    .expect("a client thread")
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| match h.join() {
                Ok(Ok(())) => None,
                Ok(Err(why)) => Some(why),
                Err(_) => Some("a client thread panicked".to_owned()),
            })
            .collect()
    });
    let took = started.elapsed();
    assert!(
        failures.is_empty(),
        "{} of {CLIENTS} clients failed, e.g.:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
    assert!(
        took < DEADLINE,
        "{CLIENTS} clients took {took:?} (over {DEADLINE:?})"
    );
    // And the server is still itself.
    assert_eq!(list(&dashboard.get_json("/cluster_status")).len(), 1);
}

/// `dispycos_httpd2` has a status task of its own: the dashboard passes
/// every status message on to it, so the program still prints each job's
/// start and end (here, the end of a job terminated from the dashboard),
/// while the dashboard shows the job too.
#[test]
fn the_programs_own_status_task_still_hears_every_message() {
    let mut dashboard = Dashboard::start_bin("httpd2-chain", env!("CARGO_BIN_EXE_dispycos_httpd2"));
    dashboard.proc.send("go");
    let created = dashboard
        .proc
        .expect_by("creating the job", CHANGE_WAIT, |l| {
            l.starts_with("  1: job ") && l.ends_with(" created")
        });
    let task = created["  1: job ".len()..created.len() - " created".len()].to_owned();
    dashboard.proc.expect_line(&format!("job {task} started"));
    let at = server_of(&task);
    poll("the job on the dashboard", CHANGE_WAIT, || {
        let jobs = dashboard.jobs_at(at);
        if jobs.contains(&task) {
            Ok(())
        } else {
            Err(format!("{jobs:?}"))
        }
    });
    let terminated = dashboard.post_json("/terminate_tasks", &[("task", &task)]);
    assert_eq!(terminated, serde_json::json!([task]));
    let ended = dashboard.proc.expect_by("the job's end", CHANGE_WAIT, |l| {
        l.starts_with(&format!("  job {task} failed: "))
    });
    assert!(ended.contains("terminated"), "{ended}");
}
