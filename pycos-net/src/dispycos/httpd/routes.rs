//! The dashboard's endpoints, shaped like pycos' httpd so its pages'
//! logic carries over: GETs of the cluster's state, the pages and
//! `/metrics`, and POSTs that read a node or server or act on the cluster,
//! each refused without the access token.

use std::net::IpAddr;
use std::sync::Arc;

use serde_json::{Value, json};

use super::http::{Request, Response};
use super::model::{Counts, Job, Model, NodeRec, ServerRec};
use super::{Shared, assets, metrics, stats};
use crate::Location;
use crate::dispycos::DispycosError;
use crate::util::lock;

/// The header that carries the access token.
pub const TOKEN_HEADER: &str = "X-Dispycos-Token";

/// Answers `req`.
pub(crate) async fn answer(shared: &Arc<Shared>, req: &Request) -> Response {
    if let Some(refusal) = check_host(shared, req) {
        return refusal;
    }
    match req.method.as_str() {
        "GET" | "HEAD" => get(shared, req),
        "POST" => {
            if !has_token(shared, req) {
                return Response::error(
                    403,
                    format!("this action needs the dashboard's access token in {TOKEN_HEADER}"),
                );
            }
            post(shared, req).await
        }
        other => Response::error(405, format!("method {other} is not served here"))
            .with_header("Allow", "GET, HEAD, POST"),
    }
}

/// Refuses a request whose `Host` is not this server's own when it listens
/// on loopback: a web page on another site could otherwise reach it by
/// pointing a name of its own at 127.0.0.1 (DNS rebinding).
fn check_host(shared: &Shared, req: &Request) -> Option<Response> {
    if shared.hosts.is_empty() {
        return None;
    }
    match req.header("host") {
        Some(host) if shared.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) => None,
        Some(host) => Some(Response::error(
            421,
            format!("host {host:?} is not this dashboard's address"),
        )),
        None => Some(Response::error(400, "the request has no Host header")),
    }
}

fn has_token(shared: &Shared, req: &Request) -> bool {
    req.header(TOKEN_HEADER)
        .is_some_and(|given| constant_time_eq(given.as_bytes(), shared.token.as_bytes()))
}

/// Compares without stopping at the first difference, so the time taken
/// tells nothing of how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn get(shared: &Shared, req: &Request) -> Response {
    match req.path.as_str() {
        "/cluster_status" => {
            let model = lock(&shared.model);
            Response::json(&Value::Array(model.nodes.values().map(node_json).collect()))
        }
        "/cluster_updates" => {
            let mut model = lock(&shared.model);
            let nodes: Vec<Value> = match query_value(&req.query, "since") {
                None => model.take_updates().into_iter().map(node_json).collect(),
                Some(since) => match since.parse::<u64>() {
                    Ok(since) => model.changed_since(since).map(node_json).collect(),
                    Err(_) => return Response::error(400, format!("bad since {since:?}")),
                },
            };
            Response::json(&Value::Array(nodes))
        }
        "/cluster_summary" => Response::json(&summary(&mut lock(&shared.model), &shared.name)),
        "/metrics" => Response::new(
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics::render(&lock(&shared.model)),
        ),
        path => match assets::find(path) {
            Some(asset) => Response::new(200, asset.content_type, asset.body)
                .with_header("Content-Security-Policy", assets::CSP),
            None => Response::text(404, format!("no such page: {path}")),
        },
    }
}

async fn post(shared: &Arc<Shared>, req: &Request) -> Response {
    let form: Vec<(String, String)> = form_urlencoded::parse(&req.body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let client = &shared.client;
    match req.path.as_str() {
        "/node_info" => {
            let Some(host) = field("host") else {
                return Response::error(400, "node_info needs host=IP");
            };
            let Ok(addr) = host.parse::<IpAddr>() else {
                return Response::error(400, format!("bad host {host:?}"));
            };
            let model = lock(&shared.model);
            Response::json(
                &model
                    .nodes
                    .get(&addr)
                    .map_or_else(|| json!({}), node_detail),
            )
        }
        "/server_info" => {
            let Some(location) = field("location") else {
                return Response::error(400, "server_info needs location=IP:PORT");
            };
            let Ok(location) = location.parse::<Location>() else {
                return Response::error(400, format!("bad location {location:?}"));
            };
            let limit = match field("limit").map(str::parse::<usize>) {
                None => 0,
                Some(Ok(limit)) => limit,
                Some(Err(_)) => return Response::error(400, "bad limit: a count of jobs"),
            };
            let model = lock(&shared.model);
            Response::json(&model.server(location).map_or_else(
                || json!({}),
                |(node, server)| server_detail(node, server, limit, model.show_task_args),
            ))
        }
        "/terminate_tasks" => {
            let model = lock(&shared.model);
            let terminated: Vec<Value> = form
                .iter()
                .filter(|(name, _)| name == "task")
                .filter_map(|(_, key)| model.job(key))
                .filter(|job| job.task.terminate().is_ok())
                .map(|job| Value::String(job.key.clone()))
                .collect();
            Response::json(&Value::Array(terminated))
        }
        "/update" => update(shared, field("timeout"), field("show_task_args")),
        "/suspend_node" => {
            act(field("nodes"), "nodes", str::parse::<IpAddr>, |at| {
                client.suspend_node(at)
            })
            .await
        }
        "/resume_node" => {
            act(field("nodes"), "nodes", str::parse::<IpAddr>, |at| {
                client.resume_node(at)
            })
            .await
        }
        "/suspend_server" => {
            act(field("servers"), "servers", str::parse::<Location>, |at| {
                client.suspend_server(at)
            })
            .await
        }
        "/resume_server" => {
            act(field("servers"), "servers", str::parse::<Location>, |at| {
                client.resume_server(at)
            })
            .await
        }
        path => Response::error(404, format!("no such action: {path}")),
    }
}

/// `/update`: the poll interval (`timeout`) and whether pages show jobs'
/// arguments.
fn update(shared: &Shared, timeout: Option<&str>, show_args: Option<&str>) -> Response {
    let mut model = lock(&shared.model);
    if let Some(timeout) = timeout {
        match timeout.parse::<f64>() {
            Ok(secs) if secs.is_finite() => model.set_poll_sec(secs),
            _ => return Response::error(400, format!("bad timeout {timeout:?}: seconds")),
        }
    }
    if let Some(show) = show_args {
        model.show_task_args = match show {
            "true" | "1" | "on" => true,
            "false" | "0" | "off" => false,
            other => return Response::error(400, format!("bad show_task_args {other:?}")),
        };
    }
    Response::json(&json!({
        "poll_sec": model.poll_sec,
        "show_task_args": model.show_task_args,
    }))
}

/// Runs `action` on each target of the JSON list in `list` (the form
/// field `name`) in turn: which were done, and which failed with what.
async fn act<T, E, F, Fut>(
    list: Option<&str>,
    name: &str,
    parse: fn(&str) -> Result<T, E>,
    action: F,
) -> Response
where
    T: Copy + std::fmt::Display,
    E: std::fmt::Display,
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<(), DispycosError>>,
{
    let targets = match json_list(list, name, parse) {
        Ok(targets) => targets,
        Err(bad) => return bad,
    };
    let (mut done, mut failed) = (Vec::new(), Vec::new());
    for target in targets {
        match action(target).await {
            Ok(()) => done.push(Value::String(target.to_string())),
            Err(err) => {
                failed.push(json!({ "target": target.to_string(), "error": err.to_string() }))
            }
        }
    }
    Response::json(&json!({ "done": done, "failed": failed }))
}

/// A form field holding a JSON list of strings, each parsed by `parse`.
fn json_list<T, E: std::fmt::Display>(
    text: Option<&str>,
    name: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Vec<T>, Response> {
    let text = text.ok_or_else(|| Response::error(400, format!("{name} is missing")))?;
    let items: Vec<String> = serde_json::from_str(text).map_err(|err| {
        Response::error(400, format!("{name} must be a JSON list of strings: {err}"))
    })?;
    items
        .iter()
        .map(|item| {
            parse(item)
                .map_err(|err| Response::error(400, format!("bad {name} item {item:?}: {err}")))
        })
        .collect()
}

/// The value of `name` in a query string, decoded.
fn query_value(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

fn counts_json(value: &mut serde_json::Map<String, Value>, counts: &Counts) {
    value.insert("tasks_submitted".into(), counts.submitted.into());
    value.insert("tasks_running".into(), counts.running().into());
    value.insert("tasks_done".into(), counts.done.into());
    value.insert("tasks_failed".into(), counts.failed.into());
}

fn avail_json(node: &NodeRec) -> Value {
    node.avail.as_ref().map_or(Value::Null, |avail| {
        json!({
            "location": Value::Null,
            "cpu": avail.cpu,
            "memory": avail.memory,
            "disk": avail.disk,
            "swap": avail.swap,
        })
    })
}

/// A node as `/cluster_status` lists it.
fn node_json(node: &NodeRec) -> Value {
    let mut value = json!({
        "name": node.name,
        "addr": node.addr.to_string(),
        "status": node.status,
        "servers": node.live_servers(),
        "update_time": node.update_time,
        "cpus": node.cpus,
        "platform": node.platform,
        "seq": node.seq,
        "avail_info": avail_json(node),
    });
    if let Value::Object(map) = &mut value {
        counts_json(map, &node.counts);
    }
    value
}

/// A node with its servers (`/node_info`).
fn node_detail(node: &NodeRec) -> Value {
    let mut value = node_json(node);
    let servers: Vec<Value> = node
        .servers
        .values()
        .map(|server| {
            let mut value = json!({
                "location": server.location.to_string(),
                "status": server.status,
                "update_time": server.update_time,
            });
            if let Value::Object(map) = &mut value {
                counts_json(map, &server.counts);
            }
            value
        })
        .collect();
    value["servers"] = Value::Array(servers);
    value
}

/// A server with its running jobs, at most `limit` of them (0: all).
fn server_detail(node: &NodeRec, server: &ServerRec, limit: usize, show_args: bool) -> Value {
    let take = if limit == 0 { usize::MAX } else { limit };
    let jobs: Vec<Value> = server
        .jobs
        .values()
        .take(take)
        .map(|job| job_json(job, show_args))
        .collect();
    let mut value = json!({
        "location": server.location.to_string(),
        "node": node.addr.to_string(),
        "status": server.status,
        "update_time": server.update_time,
        "tasks": jobs,
    });
    if let Value::Object(map) = &mut value {
        counts_json(map, &server.counts);
    }
    value
}

fn job_json(job: &Job, show_args: bool) -> Value {
    json!({
        "task": job.key,
        "name": job.function,
        "args": if show_args { job.args.as_str() } else { "" },
        "kwargs": "",
        "start_time": job.start_time,
    })
}

/// `/cluster_summary`: the header's totals, the settings and the charts.
fn summary(model: &mut Model, name: &str) -> Value {
    let now = super::now();
    let (start, counts) = model.ended.window(now);
    let latency = &model.latency;
    json!({
        "time": now,
        "poll_sec": model.poll_sec,
        "show_task_args": model.show_task_args,
        "client": name,
        "nodes": model.nodes.len(),
        "servers": model.live_servers(),
        "jobs": {
            "submitted": model.counts.submitted,
            "running": model.counts.running(),
            "done": model.counts.done,
            "failed": model.counts.failed,
        },
        "done_series": { "bucket_sec": stats::BUCKET_SEC, "start": start, "counts": counts },
        "latency": {
            "bounds": stats::LATENCY_BOUNDS,
            "counts": latency.counts,
            "p50": latency.quantile(0.5),
            "p90": latency.quantile(0.9),
            "p99": latency.quantile(0.99),
            "count": latency.count(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn json_lists_are_checked_item_by_item() {
        let ok = json_list(Some(r#"["10.0.0.1"]"#), "nodes", str::parse::<IpAddr>);
        assert_eq!(ok.unwrap(), vec!["10.0.0.1".parse::<IpAddr>().unwrap()]);
        let bad = json_list(Some(r#"["nope"]"#), "nodes", str::parse::<IpAddr>).unwrap_err();
        assert_eq!(bad.status, 400);
        let not_json = json_list(Some("10.0.0.1"), "nodes", str::parse::<IpAddr>).unwrap_err();
        assert_eq!(not_json.status, 400);
        assert_eq!(
            json_list(None, "nodes", str::parse::<IpAddr>)
                .unwrap_err()
                .status,
            400
        );
    }

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(query_value("a=1&since=42", "since").as_deref(), Some("42"));
        assert_eq!(query_value("x=a%20b", "x").as_deref(), Some("a b"));
        assert_eq!(query_value("", "since"), None);
    }
}
