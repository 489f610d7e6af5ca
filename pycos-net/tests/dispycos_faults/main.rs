//! dispycos under faults, each on a real cluster on loopback: a server
//! killed with SIGKILL mid-run (its job is reported abandoned, the other
//! server goes on, the node restarts it), the node killed (the client
//! hears so and nothing hangs), a client killed (the node cleans up and
//! serves the next client), a client with the wrong secret, a tampered
//! executable in the node's cache, job arguments that do not decode and a
//! result that does not encode.
//!
//! No test harness: this executable is also the node (a role given by
//! the environment) and the servers (`#[pycos::main]` makes a process the
//! node starts a server), so it is the client program dispycos ships.

mod procs;

use std::io::BufRead as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use procs::{Guard, NodeProc};
use pycos::prelude::*;
use pycos_net::Node;
use pycos_net::dispycos::{Client, DispycosError, DispycosStatus, NodeAllocate, Status, Where};
use serde::{Deserialize, Serialize};

const SECRET: &str = "fault-test-secret";

/// A job that sleeps, then gives back `n`.
#[task(remote)]
fn sleeper(secs: f64, n: u64, task: TaskCtx) -> u64 {
    task.sleep(secs).await;
    n
}

/// An argument that the server refuses to decode when over 100.
#[derive(Debug, Clone, Serialize)]
struct Picky(u32);

impl<'de> Deserialize<'de> for Picky {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Picky, D::Error> {
        let n = u32::deserialize(de)?;
        if n > 100 {
            return Err(serde::de::Error::custom("Picky takes at most 100"));
        }
        Ok(Picky(n))
    }
}

#[task(remote)]
fn picky(value: Picky, _task: TaskCtx) -> u32 {
    value.0
}

/// A result that refuses to be encoded when `fail`.
#[derive(Debug, Clone, Deserialize, pycos::Message)]
struct Fragile {
    fail: bool,
}

impl Serialize for Fragile {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        if self.fail {
            return Err(serde::ser::Error::custom(
                "this value refuses to be encoded",
            ));
        }
        use serde::ser::SerializeStruct as _;
        let mut st = ser.serialize_struct("Fragile", 1)?;
        st.serialize_field("fail", &self.fail)?;
        st.end()
    }
}

#[task(remote)]
fn fragile(fail: bool, _task: TaskCtx) -> Fragile {
    Fragile { fail }
}

type Outcome = Result<(), String>;

/// A named scenario: a task that gives its outcome.
type Scenario = (&'static str, fn() -> TaskSpec<Outcome>);

#[pycos::main]
fn main() -> ExitCode {
    match std::env::var(procs::ROLE).as_deref() {
        Ok("node") => {
            return match pycos_net::dispycos::node_main(procs::role_args()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(why) => {
                    eprintln!("node: {why}");
                    ExitCode::FAILURE
                }
            };
        }
        Ok("client") => return client_role(),
        _ => {}
    }
    start_node_here(SECRET);
    let tests: [Scenario; 8] = [
        (
            "servers and nodes are suspended and resumed, and the queries answer",
            suspend_resume,
        ),
        (
            "clients are served one at a time, in order",
            one_client_at_a_time,
        ),
        (
            "a killed server's job is abandoned and the server restarts",
            killed_server,
        ),
        (
            "a tampered cached executable is refused by hash and sent again",
            tampered_cache,
        ),
        (
            "arguments that do not decode and a result that does not encode are clear errors",
            bad_values,
        ),
        ("a killed node is abandoned and nothing hangs", killed_node),
        (
            "a killed client's servers are cleaned up and the next client is served",
            killed_client,
        ),
        (
            "a client with the wrong secret gets no node, and the node goes on",
            wrong_secret,
        ),
    ];
    let only = std::env::var("PYCOS_FAULT_ONLY").unwrap_or_default();
    let mut failed = 0;
    let mut ran = 0;
    for (name, test) in tests.into_iter().filter(|(name, _)| name.contains(&only)) {
        ran += 1;
        let started = Instant::now();
        let outcome = Pycos::instance()
            .spawn(test())
            .value()
            .map_err(|err| err.to_string())
            .and_then(|outcome| outcome);
        match outcome {
            Ok(()) => println!(
                "test {name} ... ok ({:.1} s)",
                started.elapsed().as_secs_f64()
            ),
            Err(why) => {
                failed += 1;
                println!("test {name} ... FAILED: {why}");
            }
        }
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "test result: {verdict}. {} passed; {failed} failed",
        ran - failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn start_node_here(secret: &str) {
    Node::builder()
        .host(std::net::Ipv4Addr::LOCALHOST.into())
        .tcp_port(0)
        .discover(false)
        .secret(secret)
        .max_connection_errors(3)
        .msg_timeout(Duration::from_secs(5))
        .start()
        .unwrap_or_else(|err| panic!("cannot start this process's node: {err}"));
}

/// Waits (at most `limit` seconds) for a status that `pred` accepts.
async fn wait_for(
    task: &TaskCtx,
    what: &str,
    limit: f64,
    pred: impl Fn(&DispycosStatus) -> bool,
) -> Result<DispycosStatus, String> {
    let deadline = Instant::now() + Duration::from_secs_f64(limit);
    loop {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        let msg = task
            .receive_matching(|m| m.is::<DispycosStatus>())
            .timeout(left)
            .await
            .ok_or_else(|| format!("no {what} within {limit} s"))?;
        if let Ok(status) = msg.downcast::<DispycosStatus>()
            && pred(&status)
        {
            return Ok(status);
        }
    }
}

/// Schedules a client of `node` and waits for its `servers` servers.
async fn ready_client(
    task: &TaskCtx,
    node: &NodeProc,
    servers: usize,
    restart: bool,
) -> Result<Client, String> {
    let client = Client::builder()
        .peer(node.location)
        .status_task(&task.handle())
        .restart_servers(restart)
        .build()
        .map_err(|e| e.to_string())?;
    client.schedule().await.map_err(|e| e.to_string())?;
    for _ in 0..servers {
        wait_for(task, "ServerInitialized", 30.0, |s| {
            s.status == Status::ServerInitialized
        })
        .await?;
    }
    Ok(client)
}

async fn close(client: &Client) -> Outcome {
    client
        .close(false, true, Some(Duration::from_secs(30)))
        .await
        .map_err(|e| format!("close: {e}"))
}

fn check(cond: bool, why: impl FnOnce() -> String) -> Outcome {
    if cond { Ok(()) } else { Err(why()) }
}

#[task]
fn killed_server(task: TaskCtx) -> Outcome {
    let node = NodeProc::start("server", 2, SECRET);
    let client = ready_client(&task, &node, 2, true).await?;
    let first = client
        .run(sleeper(30.0, 1))
        .await
        .map_err(|e| e.to_string())?;
    let second = client
        .run(sleeper(1.0, 2))
        .await
        .map_err(|e| e.to_string())?;
    let pids = node.server_pids();
    check(pids.len() == 2, || {
        format!("the node has {} server processes, not 2", pids.len())
    })?;
    // One CPU job per server: the long job's server is the one to kill.
    let second_value = second
        .finish()
        .timeout(20.0)
        .await
        .ok_or("the short job hung")?;
    check(second_value.as_ref().ok() == Some(&2), || {
        format!("the short job gave {second_value:?}")
    })?;
    let victim = server_of(&node, &first);
    let victim_pid = victim.ok_or("cannot tell which server runs the long job")?;
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(victim_pid as i32).ok_or("bad pid")?,
        rustix::process::Signal::KILL,
    )
    .map_err(|e| e.to_string())?;
    let lost = first
        .finish()
        .timeout(20.0)
        .await
        .ok_or("the killed server's job hung")?;
    let why = lost
        .err()
        .ok_or("the killed server's job gave a value")?
        .to_string();
    check(
        why.contains("abandoned") || why.contains("unreachable"),
        || format!("the job's failure says {why:?}"),
    )?;
    wait_for(&task, "ServerAbandoned", 20.0, |s| {
        s.status == Status::ServerAbandoned
    })
    .await?;
    wait_for(&task, "a restarted server", 30.0, |s| {
        s.status == Status::ServerInitialized
    })
    .await?;
    let after = node.server_pids();
    check(after.len() == 2 && !after.contains(&victim_pid), || {
        format!("after the restart the servers are {after:?} (killed {victim_pid})")
    })?;
    // Both servers take jobs again.
    for n in 10..14 {
        let value = client
            .run(sleeper(0.0, n))
            .await
            .map_err(|e| e.to_string())?
            .finish()
            .await;
        check(value.as_ref().ok() == Some(&n), || {
            format!("job {n} after the restart gave {value:?}")
        })?;
    }
    close(&client).await
}

/// The pid of the server process that runs `job`. The node names each
/// server's index and location as it comes up, and server `i` works in
/// `dispycos_server_<i>`, which its `/proc/<pid>/cwd` shows.
fn server_of<R>(node: &NodeProc, job: &Task<R>) -> Option<u32> {
    let index = node.server_index(pycos_net::Located::location(job)?)?;
    node.server_pids().into_iter().find(|pid| {
        std::fs::read_link(format!("/proc/{pid}/cwd"))
            .is_ok_and(|cwd| cwd.ends_with(format!("dispycos_server_{index}")))
    })
}

#[task]
fn tampered_cache(task: TaskCtx) -> Outcome {
    let node = NodeProc::start("cache", 1, SECRET);
    let client = ready_client(&task, &node, 1, false).await?;
    let value = client
        .run(sleeper(0.0, 5))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(value.as_ref().ok() == Some(&5), || {
        format!("the first job gave {value:?}")
    })?;
    close(&client).await?;
    let cached: Vec<_> = std::fs::read_dir(node.exe_cache())
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    check(cached.len() == 1, || format!("the cache holds {cached:?}"))?;
    let ours = std::fs::read(std::env::current_exe().map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    // Truncate the cached copy: its hash no longer matches its name.
    std::fs::write(&cached[0], &ours[..ours.len() / 2]).map_err(|e| e.to_string())?;
    let client = ready_client(&task, &node, 1, false).await?;
    let value = client
        .run(sleeper(0.0, 6))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(value.as_ref().ok() == Some(&6), || {
        format!("the job after the tampering gave {value:?}")
    })?;
    close(&client).await?;
    let again = std::fs::read(&cached[0]).map_err(|e| e.to_string())?;
    check(again == ours, || {
        "the cache does not hold the executable again".to_owned()
    })
}

#[task]
fn bad_values(task: TaskCtx) -> Outcome {
    let node = NodeProc::start("values", 1, SECRET);
    let client = ready_client(&task, &node, 1, false).await?;
    match client.run(picky(Picky(200))).await {
        Err(DispycosError::Create(err)) => {
            let text = err.to_string();
            // postcard keeps no custom error texts: the refusal names the
            // function and the types it expected.
            let clear = text.contains("refused the arguments") && text.contains("(Picky) -> u32");
            check(clear, || format!("the refusal says {text:?}"))?;
        }
        Err(other) => return Err(format!("undecodable arguments gave {other}")),
        Ok(job) => {
            return Err(format!(
                "undecodable arguments made a job: {:?}",
                job.finish().await
            ));
        }
    }
    let value = client
        .run(picky(Picky(7)))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(value.as_ref().ok() == Some(&7), || {
        format!("a good Picky gave {value:?}")
    })?;
    let broken = client.run(fragile(true)).await.map_err(|e| e.to_string())?;
    let outcome = broken
        .finish()
        .timeout(20.0)
        .await
        .ok_or("the unencodable result hung")?;
    let why = outcome
        .err()
        .ok_or("an unencodable result arrived")?
        .to_string();
    // postcard keeps no custom error texts: the failure says the value
    // could not cross.
    check(why.contains("cannot cross the wire"), || {
        format!("the unencodable result says {why:?}")
    })?;
    let fine = client
        .run(fragile(false))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(matches!(fine, Ok(Fragile { fail: false })), || {
        format!("an encodable result gave {fine:?}")
    })?;
    close(&client).await
}

#[task]
fn killed_node(task: TaskCtx) -> Outcome {
    let mut node = NodeProc::start("node", 2, SECRET);
    let client = ready_client(&task, &node, 2, false).await?;
    let jobs = [
        client
            .run(sleeper(30.0, 1))
            .await
            .map_err(|e| e.to_string())?,
        client
            .run(sleeper(30.0, 2))
            .await
            .map_err(|e| e.to_string())?,
    ];
    let servers = node.server_pids();
    node.kill();
    for job in &jobs {
        let outcome = job
            .finish()
            .timeout(30.0)
            .await
            .ok_or("a job of the killed node hung")?;
        check(outcome.is_err(), || {
            format!("a job of the killed node gave {outcome:?}")
        })?;
    }
    wait_for(&task, "NodeAbandoned", 30.0, |s| {
        s.status == Status::NodeAbandoned
    })
    .await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while servers.iter().any(|pid| procs::alive(*pid)) && Instant::now() < deadline {
        task.sleep(0.05).await;
    }
    check(!servers.iter().any(|pid| procs::alive(*pid)), || {
        format!("servers {servers:?} outlived their node")
    })?;
    close(&client).await
}

/// The client role: schedules a client of the node given, starts a long
/// job, says so, and waits to be killed. With a wrong secret it says
/// whether it found the node.
fn client_role() -> ExitCode {
    let args = procs::role_args();
    let (node, secret) = (args[0].parse().expect("a node location"), &args[1]);
    start_node_here(secret);
    let result = Pycos::instance().spawn(client_proc(node)).value();
    println!("client: {result:?}");
    ExitCode::SUCCESS
}

#[task]
fn client_proc(node: pycos_net::Location, task: TaskCtx) -> Result<(), String> {
    let client = Client::builder()
        .peer(node)
        .status_task(&task.handle())
        .build()
        .map_err(|e| e.to_string())?;
    client.schedule().await.map_err(|e| e.to_string())?;
    if wait_for(&task, "ServerInitialized", 5.0, |s| {
        s.status == Status::ServerInitialized
    })
    .await
    .is_err()
    {
        println!("client: no node");
        return Ok(());
    }
    let _job = client
        .run(sleeper(60.0, 1))
        .await
        .map_err(|e| e.to_string())?;
    println!("client: running");
    task.sleep(120.0).await;
    Ok(())
}

/// Reads the child's stdout until a line starting `prefix` (bounded).
fn expect_line(
    child: &mut std::process::Child,
    prefix: &str,
    limit: Duration,
) -> Result<String, String> {
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .map_err(|_| format!("no line {prefix:?} within {limit:?}"))?;
        if line.starts_with(prefix) {
            return Ok(line);
        }
    }
}

#[task]
fn killed_client(task: TaskCtx) -> Outcome {
    let node = NodeProc::start("client", 2, SECRET);
    let args = [node.location.to_string(), SECRET.to_owned()];
    let mut child = Guard(procs::start("client", &args).map_err(|e| e.to_string())?);
    let line = expect_line(&mut child.0, "client: ", Duration::from_secs(30))?;
    check(line == "client: running", || {
        format!("the first client says {line:?}")
    })?;
    let servers = node.server_pids();
    drop(child); // SIGKILL
    let deadline = Instant::now() + Duration::from_secs(40);
    while servers.iter().any(|pid| procs::alive(*pid)) && Instant::now() < deadline {
        task.sleep(0.1).await;
    }
    check(!servers.iter().any(|pid| procs::alive(*pid)), || {
        format!("the killed client's servers {servers:?} are still running")
    })?;
    let client = ready_client(&task, &node, 2, false).await?;
    let value = client
        .run(sleeper(0.0, 3))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(value.as_ref().ok() == Some(&3), || {
        format!("the next client's job gave {value:?}")
    })?;
    close(&client).await
}

#[task]
fn wrong_secret(task: TaskCtx) -> Outcome {
    let node = NodeProc::start("secret", 1, SECRET);
    let args = [node.location.to_string(), "not-the-secret".to_owned()];
    let mut child = Guard(procs::start("client", &args).map_err(|e| e.to_string())?);
    let line = expect_line(&mut child.0, "client: ", Duration::from_secs(30))?;
    check(line == "client: no node", || {
        format!("the wrong-secret client says {line:?}")
    })?;
    drop(child);
    let client = ready_client(&task, &node, 1, false).await?;
    let value = client
        .run(sleeper(0.0, 4))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(value.as_ref().ok() == Some(&4), || {
        format!("the right client's job gave {value:?}")
    })?;
    close(&client).await
}

#[task]
fn suspend_resume(task: TaskCtx) -> Outcome {
    let node = NodeProc::start("suspend", 2, SECRET);
    let client = ready_client(&task, &node, 2, false).await?;
    let ip = node.location.ip();
    let nodes = client.nodes().await.map_err(|e| e.to_string())?;
    check(nodes == [ip], || format!("nodes() gives {nodes:?}"))?;
    let servers = client.servers().await.map_err(|e| e.to_string())?;
    check(servers.len() == 2, || {
        format!("servers() gives {servers:?}")
    })?;
    let (first, second) = (servers[0], servers[1]);
    client
        .suspend_server(first)
        .await
        .map_err(|e| e.to_string())?;
    wait_for(&task, "ServerSuspended", 10.0, |s| {
        s.status == Status::ServerSuspended
    })
    .await?;
    // With the first suspended, a CPU job goes to the second, and the
    // next waits until a server is free.
    let long = client
        .run(sleeper(30.0, 1))
        .await
        .map_err(|e| e.to_string())?;
    check(pycos_net::Located::location(&long) == Some(second), || {
        format!(
            "a job ran at {:?} while {first} was suspended",
            pycos_net::Located::location(&long)
        )
    })?;
    let at_second = client
        .tasks(Some(Where::Server(second)))
        .await
        .map_err(|e| e.to_string())?;
    check(at_second == [long.untyped()], || {
        format!("tasks(second) gives {at_second:?}")
    })?;
    let at_first = client
        .tasks(Some(Where::Server(first)))
        .await
        .map_err(|e| e.to_string())?;
    check(at_first.is_empty(), || {
        format!("tasks(first) gives {at_first:?}")
    })?;
    let waiting = Task::new(run_one(client.clone(), 2));
    client
        .resume_server(first)
        .await
        .map_err(|e| e.to_string())?;
    wait_for(&task, "ServerResumed", 10.0, |s| {
        s.status == Status::ServerResumed
    })
    .await?;
    let value = waiting
        .finish()
        .timeout(20.0)
        .await
        .ok_or("the waiting job never ran")?;
    check(value.as_ref().ok() == Some(&Some(first)), || {
        format!("the waiting job gave {value:?}")
    })?;
    client.suspend_node(ip).await.map_err(|e| e.to_string())?;
    wait_for(&task, "NodeSuspended", 10.0, |s| {
        s.status == Status::NodeSuspended
    })
    .await?;
    match client.io_run(sleeper(0.0, 3)).await {
        Err(DispycosError::Refused(_)) => {}
        other => {
            return Err(format!(
                "an I/O job on a suspended node gave {:?}",
                other.map(|t| t.untyped())
            ));
        }
    }
    client.resume_node(ip).await.map_err(|e| e.to_string())?;
    wait_for(&task, "NodeResumed", 10.0, |s| {
        s.status == Status::NodeResumed
    })
    .await?;
    let value = client
        .io_run(sleeper(0.0, 4))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(value.as_ref().ok() == Some(&4), || {
        format!("an I/O job after the resume gave {value:?}")
    })?;
    client
        .node_allocate(NodeAllocate::new("10.*").cpus(1))
        .await
        .map_err(|e| e.to_string())?;
    client
        .abandon_zombie(None, true)
        .await
        .map_err(|e| e.to_string())?;
    let unknown = client
        .suspend_server("127.0.0.1:1".parse().map_err(|_| "a location")?)
        .await;
    check(unknown.is_err(), || {
        "suspending an unknown server succeeded".to_owned()
    })?;
    long.terminate().map_err(|e| e.to_string())?;
    close(&client).await
}

/// Runs one CPU job; gives the server it ran at.
#[task]
fn run_one(client: Client, n: u64) -> Result<Option<pycos_net::Location>, String> {
    let job = client
        .run(sleeper(0.0, n))
        .await
        .map_err(|e| e.to_string())?;
    let at = pycos_net::Located::location(&job);
    job.finish().await.map_err(|e| e.to_string())?;
    Ok(at)
}

#[task]
fn one_client_at_a_time(task: TaskCtx) -> Outcome {
    let node = NodeProc::start("fifo", 1, SECRET);
    let first = ready_client(&task, &node, 1, false).await?;
    let second = Client::builder()
        .peer(node.location)
        .build()
        .map_err(|e| e.to_string())?;
    let waiting = Task::new(schedule(second.clone()));
    // The second is not served while the first is (given time to be).
    let early = waiting.finish().timeout(1.0).await;
    check(early.is_none(), || {
        format!("the second client was scheduled at once: {early:?}")
    })?;
    let value = first
        .run(sleeper(0.0, 1))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(value.as_ref().ok() == Some(&1), || {
        format!("the first client's job gave {value:?}")
    })?;
    close(&first).await?;
    let turn = waiting
        .finish()
        .timeout(30.0)
        .await
        .ok_or("the second client was never served")?;
    check(turn.is_ok(), || {
        format!("the second client's schedule gave {turn:?}")
    })?;
    let value = second
        .run(sleeper(0.0, 2))
        .await
        .map_err(|e| e.to_string())?
        .finish()
        .await;
    check(value.as_ref().ok() == Some(&2), || {
        format!("the second client's job gave {value:?}")
    })?;
    close(&second).await
}

#[task]
fn schedule(client: Client) -> Result<(), String> {
    client.schedule().await.map_err(|e| e.to_string())
}
