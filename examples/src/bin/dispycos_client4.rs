//! Port of pycos' `dispycos_client4.py`: message passing and file
//! transfer between the client and its jobs. For each input file a job
//! is started at a free server, and a local task sends the file to that
//! server, then a [`C`] saying what to do with it. The job writes a
//! result file (each input line's length), sends it back to the client's
//! node, and answers with the object; the local task moves the result
//! into the output directory.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_client4 -- [FILES] [--output DIR]                 # its own node
//! cargo run -p pycos-examples --bin dispycos_client4 -- [FILES] [--output DIR] --node IP:PORT  # a dispycosnode
//! ```
//!
//! The input files are these examples' own sources
//! (`examples/src/bin/dispycos_client*.rs`, as pycos uses its
//! `dispycos_client*.py`), the first `FILES` of them (default all); the
//! results, `result-<name>`, go to `DIR` (default the current directory).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::{ClusterOptions, serve_if_node};
use pycos_examples::dispycos_a::{DynError, count_arg, uniform};
use pycos_net::dispycos::Client;
use pycos_net::{Located, Node};
use serde::{Deserialize, Serialize};

/// Where the input files are.
const SOURCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin");

/// What a job needs to know about its input, and the answer it gives.
#[derive(Debug, Clone, Serialize, Deserialize, pycos::Message)]
#[message(name = "pycos_examples::dispycos_client4::C")]
struct C {
    i: usize,
    /// The input file's name, in the server's working directory.
    data_file: String,
    /// The result file's name, once sent to the client's node.
    result_file: Option<String>,
    /// Seconds to "compute".
    n: f64,
    /// The local task to answer to.
    client: Task,
}

/// The job, run at a server: waits for its [`C`], writes the result
/// file for the input file already sent here, sends it to the client's
/// node and answers with the object. Gives the input's line count.
#[task(remote)]
fn rtask_proc(task: TaskCtx) -> Result<usize, String> {
    let msg = task.receive().await;
    let mut cobj = msg
        .downcast::<C>()
        .map_err(|other| format!("not a job: {other:?}"))?;
    let result_file = format!("result-{}", cobj.data_file);
    let lines = write_line_lengths(Path::new(&cobj.data_file), Path::new(&result_file))?;
    // Computing, simulated.
    task.sleep(cobj.n).await;
    cobj.result_file = Some(result_file.clone());
    let sent = match (Node::current(), cobj.client.location()) {
        (Some(node), Some(to)) => node
            .send_file(to, &result_file, None, true, Duration::from_secs(30))
            .await
            .map_err(|err| err.to_string()),
        _ => Err("no node to send it from, or to".to_owned()),
    };
    if let Err(err) = sent {
        println!("Could not send {result_file} to {}: {err}", cobj.client);
        cobj.result_file = None;
    }
    let client = cobj.client.clone();
    client
        .send(cobj)
        .map_err(|err| format!("cannot answer: {err}"))?;
    let _ = std::fs::remove_file(&result_file);
    Ok(lines)
}

/// Writes `N: LENGTH` to `result` for each line of `data` (its length
/// without the newline); gives the line count.
fn write_line_lengths(data: &Path, result: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(data).map_err(|err| format!("{}: {err}", data.display()))?;
    let _ = std::fs::remove_file(data);
    let mut out = String::new();
    for (lineno, line) in (1..).zip(text.lines()) {
        let _ = writeln!(out, "{lineno}: {}", line.len());
    }
    std::fs::write(result, out).map_err(|err| format!("{}: {err}", result.display()))?;
    Ok(text.lines().count())
}

/// Runs locally, one for each job: sends the job its input file and its
/// [`C`], waits for the answer and moves the result file to `output`.
#[task]
fn use_rtask(
    job_id: usize,
    data_file: PathBuf,
    rtask: Task,
    output: PathBuf,
    task: TaskCtx,
) -> Result<(), DynError> {
    let node = Node::current().ok_or("this process runs no node")?;
    let at = rtask.location().ok_or("the job is nowhere")?;
    // Lands in the server's working directory.
    if let Err(err) = node
        .send_file(at, &data_file, None, false, Duration::from_secs(10))
        .await
    {
        println!("Could not send input data to {at}: {err}");
        let _ = rtask.terminate();
        return Err(err.into());
    }
    let name = file_name(&data_file)?;
    let obj = C {
        i: job_id,
        data_file: name,
        result_file: None,
        n: uniform(5.0, 8.0),
        client: task.handle(),
    };
    if let Err(err) = rtask.deliver(obj).await {
        println!("Could not send input to {at}: {err}");
        return Err(err.to_string().into());
    }
    let result = task
        .receive()
        .await
        .downcast::<C>()
        .map_err(|other| format!("not an answer: {other:?}"))?;
    let Some(result_file) = result.result_file else {
        println!("Processing {job_id} failed");
        return Err(format!("processing {job_id} failed").into());
    };
    // The file came to this node's `dest_path`.
    let target = output.join(&result_file);
    move_file(&node.dest_path().join(&result_file), &target)?;
    println!("    job {job_id} output is in {}", target.display());
    Ok(())
}

/// Moves `from` to `to`, also across file systems.
fn move_file(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::rename(from, to).is_err() {
        std::fs::copy(from, to)?;
        std::fs::remove_file(from)?;
    }
    Ok(())
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} has no file name", path.display()))
}

/// Runs locally: a job for each input file, and a local task for each
/// job.
#[task]
fn client_proc(client: Client, data_files: Vec<PathBuf>, output: PathBuf) -> Result<(), DynError> {
    // A scheduler serves one client at a time: this waits for our turn.
    client.schedule().await?;
    let mut users = Vec::new();
    for (i, data_file) in data_files.into_iter().enumerate() {
        match client.run(rtask_proc()).await {
            // Many local tasks may send input to different servers at once.
            Ok(rtask) => users.push(Task::new(use_rtask(
                i,
                data_file,
                rtask.untyped(),
                output.clone(),
            ))),
            Err(err) => println!("  ** job {i} failed: {err}"),
        }
    }
    // Every result moved before the client closes (pycos waits for the
    // local tasks at exit instead).
    for user in &users {
        let _ = user.finish().await;
    }
    client
        .close(false, false, Some(Duration::from_secs(60)))
        .await?;
    Ok(())
}

/// The example's own arguments: the input files and the output
/// directory.
fn parse_args(args: &[String]) -> Result<(Vec<PathBuf>, PathBuf), DynError> {
    let (mut output, mut rest) = (PathBuf::from("."), Vec::new());
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--output" {
            output = args.next().ok_or("--output needs a directory")?.into();
        } else {
            rest.push(arg.clone());
        }
    }
    let mut data_files = input_files()?;
    if data_files.is_empty() {
        return Err(format!("no data files to process in {SOURCES}").into());
    }
    data_files.truncate(count_arg(&rest, data_files.len())?);
    Ok((data_files, output))
}

/// The examples' `dispycos_client*.rs`, sorted.
fn input_files() -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(SOURCES)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("dispycos_client") && name.ends_with(".rs") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    let options = ClusterOptions::parse()?;
    let (data_files, output) = parse_args(options.rest())?;
    println!("{data_files:?}");
    let cluster = options.start()?;
    let client = cluster.client().build()?;
    cluster.run(client_proc(client, data_files, output))
}
