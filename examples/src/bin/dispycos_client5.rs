//! Port of pycos' `dispycos_client5.py`: each job runs an external
//! program at its server, feeding the program's stdin from messages the
//! client sends and sending every line the program writes back to the
//! client. The program (`examples/scripts/dispycos_client5_proc.sh`, a
//! port of `dispycos_client5_proc.py`) goes to every node with the
//! client, as a dependency: it lands in the node's directory, the parent
//! of each server's working directory.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client5 -- [JOBS]                 # its own node, 2 servers
//! cargo run -p pycos-examples --bin dispycos_client5 -- [JOBS] --node IP:PORT  # a running dispycosnode
//! ```
//!
//! `JOBS` (default 5) run at once, each as soon as a server is free. The
//! end of input and of output is an empty message, as pycos' `None` (an
//! empty line is never sent: each has its newline).

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::{ClusterOptions, serve_if_node};
use pycos_examples::dispycos_a::{DynError, count_arg, uniform, where_is};
use pycos_net::dispycos::Client;

/// The program each job runs, sent to the nodes with the client.
const PROGRAM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scripts/dispycos_client5_proc.sh"
);

/// The end of a stream of lines (pycos sends `None`).
fn end_of_lines() -> Vec<u8> {
    Vec::new()
}

/// The job, run at a server: starts `program` (a dependency, so in the
/// parent directory), writes the lines it receives to the program's
/// stdin, and has [`reader_proc`] send each line of its output to
/// `client`. Gives the program's exit status.
#[task(remote)]
fn rtask_proc(client: Task, program: String, task: TaskCtx) -> Result<i32, String> {
    let path = Path::new("..").join(&program);
    let child = Command::new("sh")
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|err| format!("cannot start {}: {err}", path.display()))?;
    let pipe = Arc::new(AsyncPipe::new(child).map_err(|err| err.to_string())?);
    let reader = Task::new(reader_proc(pipe.clone(), client));
    // The writer: the client's messages, one line each, to the program.
    loop {
        let msg = task.receive().await;
        let Ok(mut data) = msg.downcast::<Vec<u8>>() else {
            continue; // not a line: ignored, as a line is all it takes
        };
        if data.is_empty() {
            break;
        }
        data.push(b'\n');
        pipe.write_full(&data)
            .await
            .map_err(|err| format!("cannot write to {program}: {err}"))?;
    }
    pipe.close_stdin();
    // Every line read (the program ended).
    let _ = reader.finish().await;
    let status = pipe.wait().await.map_err(|err| err.to_string())?;
    Ok(status.code().unwrap_or(-1))
}

/// At the server: sends every line of the program's output to `client`,
/// then the end.
#[task]
fn reader_proc(pipe: Arc<AsyncPipe>, client: Task) {
    while let Ok(line) = pipe.readline().await {
        if line.is_empty() {
            break;
        }
        let _ = client.send(line);
    }
    let _ = client.send(end_of_lines());
}

/// Sends a job 10 random numbers, a little apart (input comes in as it
/// is available), then the end.
#[task]
fn send_input(rtask: Task, task: TaskCtx) {
    for _ in 0..10 {
        let _ = rtask.send(format!("{:.2}", uniform(0.0, 5.0)).into_bytes());
        task.sleep(uniform(0.0, 2.0)).await;
    }
    let _ = rtask.send(end_of_lines());
}

/// Prints the lines of job `i`'s program as they come, until the end.
#[task]
fn get_output(i: usize, task: TaskCtx) {
    loop {
        let msg = task.receive().await;
        let Ok(line) = msg.downcast::<Vec<u8>>() else {
            continue;
        };
        if line.is_empty() {
            break;
        }
        println!(
            "      job {i} output: {}",
            String::from_utf8_lossy(&line).trim()
        );
    }
}

/// One job: a local reader for its output, the job at a free server, a
/// local sender for its input; done when the reader has every line.
#[task]
fn create_job(client: Client, i: usize, program: String) {
    let client_reader = Task::new(get_output(i));
    match client
        .run(rtask_proc(client_reader.untyped(), program))
        .await
    {
        Ok(rtask) => {
            println!("  job {i} processed by {}", where_is(&rtask));
            Task::new(send_input(rtask.untyped()));
            let _ = client_reader.finish().await;
            println!("  job {i} done");
        }
        Err(err) => {
            println!("  ** job {i} failed: {err}");
            let _ = client_reader.terminate();
        }
    }
}

/// Runs locally: `n` jobs at once, then the close.
#[task]
fn client_proc(client: Client, program: String, n: usize) -> Result<(), DynError> {
    // A scheduler serves one client at a time: this waits for our turn.
    client.schedule().await?;
    let job_tasks: Vec<_> = (1..=n)
        .map(|i| Task::new(create_job(client.clone(), i, program.clone())))
        .collect();
    for job_task in &job_tasks {
        job_task.finish().await?;
    }
    client
        .close(false, false, Some(Duration::from_secs(60)))
        .await?;
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    let options = ClusterOptions::parse()?;
    let n = count_arg(options.rest(), 5)?;
    let program = Path::new(PROGRAM)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or("the program has no file name")?;
    let cluster = options.start()?;
    let client = cluster.client().dependency(PROGRAM).build()?;
    cluster.run(client_proc(client, program, n))
}
