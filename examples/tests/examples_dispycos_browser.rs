//! The dashboard in a real browser: headless Chromium (through
//! ChromeDriver) loads the pages of a running cluster — the
//! `dispycos_httpd1` example with its own node of 2 servers and three
//! long jobs — and the test reads the DOM after the pages' scripts ran:
//! the node's row, its server count and running jobs; the node's servers;
//! the server's jobs with their arguments. It then clicks a job's
//! "terminate" button as a user would and checks that the job ended (the
//! cluster counts it failed) and left the pages.
//!
//! A screenshot of each page is written to `target/dashboard-screenshots/`
//! for a person to look at. The example, ChromeDriver and the browser
//! are killed by pid (the browser with ChromeDriver's process group) when
//! the test ends, pass or fail.

#[allow(dead_code)] // the helpers other test files use
mod http_client;
#[allow(dead_code)] // the helpers other test files use
mod net_support;
mod webdriver;

use std::time::Duration;

use net_support::Proc;
use webdriver::{Browser, screenshot_dir};

/// How long the pages may take to show a change (they poll every second).
const SHOWN: Duration = Duration::from_secs(20);

/// The example's start: its dashboard's address (with the token) and
/// the locations of its servers.
fn start_cluster(proc: &mut Proc) -> (String, Vec<String>) {
    let limit = Duration::from_secs(60);
    let started = proc.expect_by("with the dashboard's address", limit, |l| {
        l.starts_with("Started HTTP server at ")
    });
    let url = started["Started HTTP server at ".len()..].to_owned();
    let servers = (0..2)
        .map(|_| {
            let line = proc.expect_by("announcing a server", limit, |l| {
                l.starts_with("dispycos server ")
            });
            line.rsplit(' ').next().unwrap_or_default().to_owned()
        })
        .collect();
    (url, servers)
}

/// The page's base address (`http://IP:PORT`) and the fragment carrying
/// the token.
fn split_url(url: &str) -> (&str, &str) {
    let base_end = url
        .find("/cluster.html")
        .expect("the cluster page's address");
    let hash = url.find('#').expect("the token in the fragment");
    (&url[..base_end], &url[hash..])
}

/// A JS expression: the text of `field`'s cell in the row `row`
/// (a selector), or `null`.
fn cell(row: &str, field: &str) -> String {
    format!(
        "(function() {{ const c = document.querySelector('{row} [data-field=\"{field}\"]'); \
         return c ? c.textContent.trim() : null; }})()"
    )
}

#[test]
fn the_pages_show_the_cluster_and_terminate_a_job() {
    if !webdriver::available() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_dispycos_httpd1");
    let mut proc = Proc::spawn("dispycos_httpd1", bin, &["--port", "0", "--poll", "1"]);
    let (url, servers) = start_cluster(&mut proc);
    let mut jobs = Vec::new();
    for n in ["300", "301", "302"] {
        proc.send(n);
        let line = proc.expect_by("starting a job", Duration::from_secs(30), |l| {
            l.trim_start().starts_with("job ") && l.contains(" started: ")
        });
        jobs.push(line.rsplit(' ').next().unwrap_or_default().to_owned());
    }
    let (base, token) = split_url(&url);
    let shots = screenshot_dir();
    let browser = Browser::start(
        &std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chromium-profile"),
        1400,
        1000,
    );

    // The cluster page: the node's row, its two servers, three jobs.
    browser.open(&url);
    let node_row = "tr[data-node=\"127.0.0.1\"]";
    let running = browser.wait_for(
        "the node's row with its three running jobs",
        SHOWN,
        &format!(
            "const r = {}; return r === '3' ? r : null;",
            cell(node_row, "tasks_running")
        ),
    );
    assert_eq!(running, "3");
    assert_eq!(
        browser.eval(&format!("return {};", cell(node_row, "servers"))),
        "2"
    );
    assert_eq!(
        browser.eval(&format!("return {};", cell(node_row, "status"))),
        "Initialized"
    );
    assert_eq!(
        browser.eval(&format!("return {};", cell(node_row, "tasks_submitted"))),
        "3"
    );
    browser.wait_for(
        "both charts drawn",
        SHOWN,
        "return !!(document.querySelector('#chart-done') && document.querySelector('#chart-latency'));",
    );
    browser.screenshot(&shots.join("cluster.png"));

    // The node page: its two servers.
    browser.open(&format!("{base}/node.html?host=127.0.0.1{token}"));
    let listed = browser.wait_for(
        "the node's two servers",
        SHOWN,
        "const rows = [...document.querySelectorAll('tr[data-server]')].map(r => r.dataset.server); \
         return rows.length === 2 ? rows.sort() : null;",
    );
    let mut expected = servers.clone();
    expected.sort();
    assert_eq!(listed, serde_json::json!(expected));
    browser.screenshot(&shots.join("node.png"));

    // The server of the first job: its jobs, with their arguments.
    let job = &jobs[0];
    let server = job.rsplit('@').next().expect("the job's server");
    browser.open(&format!("{base}/server.html?location={server}{token}"));
    let row = format!("tr[data-task=\"{job}\"]");
    let args = browser.wait_for(
        "the job's row with its arguments",
        SHOWN,
        &format!("return {};", cell(&row, "args")),
    );
    assert!(
        args.as_str().is_some_and(|a| a.contains("\"n\":300")),
        "the job's arguments are shown: {args}"
    );
    assert_eq!(
        browser.eval(&format!("return {};", cell(&row, "name"))),
        "dispycos_httpd1::compute"
    );
    browser.screenshot(&shots.join("server.png"));

    // Terminate it, as a user: the row goes, and the cluster counts the
    // job as ended (failed: terminated).
    browser.click(&format!("{row} button[data-action=\"terminate\"]"));
    browser.wait_for(
        "the terminated job gone from the server page",
        SHOWN,
        &format!(
            "return document.body.dataset.refreshes > 0 && !document.querySelector('{}');",
            row.replace('\'', "\\'")
        ),
    );
    browser.screenshot(&shots.join("server-after-terminate.png"));
    browser.open(&url);
    browser.wait_for(
        "the cluster page counting two jobs running",
        SHOWN,
        &format!("return {} === '2';", cell(node_row, "tasks_running")),
    );
    let summary = browser.eval(
        "const x = new XMLHttpRequest(); x.open('GET', '/cluster_summary', false); x.send(); \
         return JSON.parse(x.responseText).jobs;",
    );
    assert_eq!(summary["failed"], 1, "the terminated job ended: {summary}");
    assert_eq!(summary["running"], 2, "{summary}");
    drop(browser);
    proc.kill();
}
