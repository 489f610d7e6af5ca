//! A live web dashboard of a client's cluster (pycos' `pycos.httpd`): its
//! nodes, their servers and the jobs running on each, with suspend,
//! resume and terminate, charts of jobs done and of job latency, and
//! `/metrics` for Prometheus.
//!
//! [`HttpServer::builder`]`.start(&client)` must come before
//! [`Client::schedule`]: the dashboard becomes the client's status task,
//! and passes every message on to the status task the client had (so a
//! program's own status task keeps working, as pycos chains them). It
//! serves HTTP/1.1 (or HTTPS with [`tls`](HttpServerBuilder::tls)) from
//! pycos tasks on the current scheduler, on 127.0.0.1 unless told
//! otherwise.
//!
//! Reading needs nothing; every action (every POST) needs the random
//! access token the server prints at start-up as part of the page's
//! address (`…/cluster.html#token=…`), so that another user of the
//! machine, or a web page the browser has open, cannot terminate jobs.
//!
//! # Endpoints
//!
//! Shaped like pycos' httpd, so its pages' logic carries over. Times are
//! seconds since the Unix epoch; answers are JSON unless said.
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /cluster_status` | every node: `name`, `addr`, `status`, `servers` (live ones), `cpus`, `platform`, `update_time`, `seq`, `tasks_submitted`/`_running`/`_done`/`_failed`, `avail_info` (`cpu` busy %, `memory` and `disk` bytes free, `swap` % used) |
//! | `GET /cluster_updates` | the nodes changed since the last such call (pycos'); with `?since=SEQ`, those with a larger `seq` (for each page on its own) |
//! | `GET /cluster_summary` | totals, `poll_sec`, `show_task_args`, jobs ended per 5 s over ten minutes (`done_series`), the `latency` histogram with p50/p90/p99 |
//! | `GET /metrics` | Prometheus text: `dispycos_nodes`/`_servers` by status, `dispycos_jobs_*`, `dispycos_job_duration_seconds` |
//! | `GET /`, `/cluster.html`, `/node.html`, `/server.html`, `/dashboard.js`, `/dashboard.css`, `/favicon.svg` | the pages |
//! | `POST /node_info` `host=IP` | the node with its `servers` list, or `{}` |
//! | `POST /server_info` `location=IP:PORT&limit=N` | the server with its running `tasks` (`task`, `name`, `args` as JSON text, `start_time`), or `{}` |
//! | `POST /terminate_tasks` `task=…` (repeated) | the jobs asked to terminate |
//! | `POST /update` `timeout=SECS`, `show_task_args=true\|false` | the settings |
//! | `POST /suspend_node`, `/resume_node` `nodes=["IP",…]`; `/suspend_server`, `/resume_server` `servers=["IP:PORT",…]` | `{"done": […], "failed": [{"target", "error"}]}` |
//!
//! POSTs take form bodies and need the token in the [`TOKEN_HEADER`]
//! header (403 without). A malformed request is a 400 (411, 413, 431 as
//! the case may be) with `{"error": …}`, an unknown path a 404, another
//! method a 405; on a loopback address a `Host` that is not the server's
//! own is a 421 (DNS rebinding).
//!
//! ```no_run
//! use pycos::prelude::*;
//! use pycos_net::dispycos::{Client, HttpServer};
//!
//! type DynError = Box<dyn std::error::Error + Send + Sync>;
//!
//! #[task(remote)]
//! fn compute(n: u64) -> u64 {
//!     n * 2
//! }
//!
//! #[task]
//! fn client_proc(client: Client) -> Result<u64, DynError> {
//!     // Prints `Started HTTP server at http://127.0.0.1:8181/cluster.html#token=…`.
//!     let httpd = HttpServer::builder().start(&client)?;
//!     client.schedule().await?;
//!     let value = client.run(compute(21)).await?.finish().await?;
//!     client.close(false, false, None).await?;
//!     httpd.shutdown(true).await; // open pages get the final state
//!     Ok(value)
//! }
//!
//! #[pycos::main]
//! fn main() -> Result<(), DynError> {
//!     let client = Client::builder().build()?;
//!     println!("{}", Task::new(client_proc(client)).value()?);
//!     Ok(())
//! }
//! ```

mod assets;
mod http;
mod metrics;
mod model;
mod routes;
mod stats;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use pycos::prelude::*;

pub use routes::TOKEN_HEADER;

use super::Client;
use crate::util::lock;
use model::Model;

/// pycos' default dashboard port.
pub const DEFAULT_PORT: u16 = 8181;

/// Connections served at once; more wait in the listen queue.
const MAX_CONNECTIONS: usize = 1024;

/// Why the dashboard did not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum HttpdError {
    /// [`Client::schedule`] already ran: the dashboard would miss the
    /// cluster's start, so it must be started before.
    AlreadyScheduled,
    /// The address could not be listened on.
    Bind(SocketAddr, std::io::Error),
    /// The certificate or key could not be loaded.
    Tls(pycos::io::TlsError),
}

impl std::fmt::Display for HttpdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpdError::AlreadyScheduled => f.write_str(
                "the dashboard must be started before the client is scheduled \
                 (it becomes the client's status task)",
            ),
            HttpdError::Bind(addr, err) => write!(f, "cannot listen on {addr}: {err}"),
            HttpdError::Tls(err) => write!(f, "cannot load the dashboard's TLS files: {err}"),
        }
    }
}

impl std::error::Error for HttpdError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HttpdError::Bind(_, err) => Some(err),
            HttpdError::Tls(err) => Some(err),
            HttpdError::AlreadyScheduled => None,
        }
    }
}

/// The options of a dashboard (pycos' `HTTPServer(client, host, port,
/// poll_sec, DocumentRoot, keyfile, certfile, show_task_args)`).
#[derive(Debug, Clone)]
pub struct HttpServerBuilder {
    host: IpAddr,
    port: u16,
    poll_sec: f64,
    show_task_args: bool,
    tls: Option<(PathBuf, PathBuf)>,
    quiet: bool,
}

impl Default for HttpServerBuilder {
    fn default() -> Self {
        HttpServerBuilder {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            poll_sec: 10.0,
            show_task_args: true,
            tls: None,
            quiet: false,
        }
    }
}

impl HttpServerBuilder {
    /// The address to listen on (127.0.0.1 by default; any other lets
    /// other machines read the cluster's state).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The port ([`DEFAULT_PORT`] by default; 0 for any free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How often the pages refresh, in seconds (at least 1; 10 by
    /// default). The pages can change it.
    pub fn poll_sec(mut self, secs: f64) -> Self {
        self.poll_sec = secs;
        self
    }

    /// Whether the pages show jobs' arguments (yes by default).
    pub fn show_task_args(mut self, show: bool) -> Self {
        self.show_task_args = show;
        self
    }

    /// Serves HTTPS with this certificate chain and key (PEM files).
    pub fn tls(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.tls = Some((cert.into(), key.into()));
        self
    }

    /// Does not print the address at start-up ([`HttpServer::url`] has it).
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Starts the dashboard for `client`, on the current scheduler (or the
    /// process-wide one outside tasks), and makes it the client's status
    /// task.
    ///
    /// # Errors
    ///
    /// [`HttpdError::AlreadyScheduled`] after [`Client::schedule`];
    /// [`HttpdError::Bind`]; [`HttpdError::Tls`].
    pub fn start(self, client: &Client) -> Result<HttpServer, HttpdError> {
        if client.is_scheduled() {
            return Err(HttpdError::AlreadyScheduled);
        }
        let tls = match &self.tls {
            Some((cert, key)) => {
                Some(pycos::io::TlsServer::from_pem_files(cert, key).map_err(HttpdError::Tls)?)
            }
            None => None,
        };
        let addr = SocketAddr::new(self.host, self.port);
        let listener =
            AsyncSocket::tcp_listener(addr).map_err(|err| HttpdError::Bind(addr, err))?;
        let location = listener
            .local_addr()
            .map_err(|err| HttpdError::Bind(addr, err))?;
        let shared = Arc::new(Shared {
            model: Mutex::new(Model::new(self.poll_sec, self.show_task_args)),
            client: client.clone(),
            token: random_token(),
            hosts: allowed_hosts(location),
            name: format!("dispycos client {}", client.id()),
            connections: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
        });
        let sched = Pycos::scheduler().unwrap_or_else(Pycos::instance);
        let chained = client.status_task();
        let status = sched.spawn(watch(shared.clone(), chained).named("dispycos-httpd-status"));
        client.set_status_task(&status);
        let accepting =
            sched.spawn(listen(shared.clone(), listener, tls.clone()).named("dispycos-httpd"));
        let server = HttpServer {
            shared,
            location,
            tls: tls.is_some(),
            accepting: accepting.untyped(),
            status: status.untyped(),
        };
        if !self.quiet {
            println!("Started HTTP server at {}", server.url());
        }
        Ok(server)
    }
}

/// What the dashboard's tasks share.
pub(crate) struct Shared {
    pub(crate) model: Mutex<Model>,
    pub(crate) client: Client,
    pub(crate) token: String,
    /// The `Host` values accepted (empty: any).
    pub(crate) hosts: Vec<String>,
    /// How the pages name the client.
    pub(crate) name: String,
    connections: AtomicUsize,
    closed: AtomicBool,
}

/// A running dashboard (pycos' `HTTPServer`).
#[derive(Debug)]
pub struct HttpServer {
    shared: Arc<Shared>,
    location: SocketAddr,
    tls: bool,
    accepting: Task,
    status: Task,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("hosts", &self.hosts)
            .finish_non_exhaustive()
    }
}

impl HttpServer {
    /// The options of a new dashboard.
    pub fn builder() -> HttpServerBuilder {
        HttpServerBuilder::default()
    }

    /// The address it listens on.
    pub fn location(&self) -> SocketAddr {
        self.location
    }

    /// The access token every action needs (in the [`TOKEN_HEADER`]
    /// header).
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// The cluster page's address, with the token: what to open.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!(
            "{scheme}://{}/cluster.html#token={}",
            self.location, self.shared.token
        )
    }

    /// The task that receives the client's status messages.
    pub fn status_task(&self) -> &Task {
        &self.status
    }

    /// Stops serving (pycos' `shutdown(wait)`): with `wait`, first waits
    /// one poll interval and a half second, so open pages get the final
    /// state. Connections in progress end with their current request.
    pub async fn shutdown(&self, wait: bool) {
        if wait {
            let secs = lock(&self.shared.model).poll_sec + 0.5;
            match Pycos::scheduler() {
                // A wait that only the time limit ends.
                Some(_) => drop(std::future::pending::<()>().timeout(secs).await),
                None => std::thread::sleep(std::time::Duration::from_secs_f64(secs)),
            }
        }
        self.shared.closed.store(true, Ordering::Relaxed);
        let _ = self.accepting.terminate();
    }
}

/// The client's status task: follows every message into the model, and
/// passes it on to the status task the client had.
#[task]
fn watch(shared: Arc<Shared>, chained: Option<Task>, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        lock(&shared.model).apply(&msg, now());
        if let Some(chained) = &chained {
            let _ = chained.send(msg);
        }
    }
}

#[task]
fn listen(
    shared: Arc<Shared>,
    listener: AsyncSocket,
    tls: Option<pycos::io::TlsServer>,
    task: TaskCtx,
) {
    task.set_daemon(true);
    loop {
        match listener.accept().await {
            Ok((sock, from)) => {
                if shared.closed.load(Ordering::Relaxed) {
                    return;
                }
                if shared.connections.load(Ordering::Relaxed) >= MAX_CONNECTIONS {
                    tracing::warn!(%from, "dashboard: too many connections; refused");
                    continue;
                }
                shared.connections.fetch_add(1, Ordering::Relaxed);
                Task::new(serve(shared.clone(), sock, tls.clone()));
            }
            Err(err) => {
                // Out of descriptors and the like: wait a little, go on.
                tracing::warn!(%err, "dashboard: accept failed");
                task.sleep(0.05).await;
            }
        }
    }
}

/// Serves one connection's requests until it closes.
#[task]
fn serve(shared: Arc<Shared>, sock: AsyncSocket, tls: Option<pycos::io::TlsServer>, task: TaskCtx) {
    task.set_daemon(true);
    let _count = Leaving(&shared.connections);
    let _ = sock.set_nodelay(true);
    if let Some(tls) = &tls {
        let started = sock.start_tls_server(tls).timeout(http::IDLE).await;
        if !matches!(started, Some(Ok(()))) {
            return; // not a TLS client, or a silent one
        }
    }
    let mut reader = http::Reader::default();
    loop {
        let (response, keep_alive, head_only) = match reader.next(&sock).await {
            Ok(req) => {
                let response = routes::answer(&shared, &req).await;
                (response, req.keep_alive, req.method == "HEAD")
            }
            Err(http::ReadError::Gone) => return,
            Err(http::ReadError::Bad(status, why)) => {
                (http::Response::error(status, why), false, false)
            }
        };
        let keep_alive = keep_alive && !shared.closed.load(Ordering::Relaxed);
        let bytes = response.encode(keep_alive, head_only);
        if sock.sendall(&bytes).timeout(http::IDLE).await.is_none() || !keep_alive {
            let _ = sock.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

/// Counts a connection out when its task ends, however it ends.
struct Leaving<'a>(&'a AtomicUsize);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The `Host` values a browser sends for `location` when it is loopback:
/// the address itself, and `localhost`; empty for other addresses.
fn allowed_hosts(location: SocketAddr) -> Vec<String> {
    if !location.ip().is_loopback() {
        return Vec::new();
    }
    let port = location.port();
    let mut hosts = vec![location.to_string(), format!("localhost:{port}")];
    if port == 80 || port == 443 {
        hosts.push(location.ip().to_string());
        hosts.push("localhost".to_owned());
    }
    hosts
}

/// 128 random bits, as hex.
fn random_token() -> String {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; 16];
    // The system random source does not fail on Linux; should it, the
    // token is the id-based fallback below, still not guessable offline.
    if SystemRandom::new().fill(&mut bytes).is_err() {
        bytes[..8].copy_from_slice(&super::random_id().to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_dashboards_accept_only_their_own_host() {
        let hosts = allowed_hosts("127.0.0.1:8181".parse().unwrap());
        assert_eq!(hosts, vec!["127.0.0.1:8181", "localhost:8181"]);
        let v6 = allowed_hosts("[::1]:9000".parse().unwrap());
        assert_eq!(v6, vec!["[::1]:9000", "localhost:9000"]);
        assert!(allowed_hosts("10.0.0.1:8181".parse().unwrap()).is_empty());
    }

    #[test]
    fn tokens_are_random_hex() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
