//! Port of pycos' `dispycos_httpd2.py`: as `dispycos_httpd1`, with a
//! status task of the program's own. The dashboard becomes the client's
//! status task and passes every message on to it, so the program still
//! prints each job's start and end. Each line typed runs a job of 20 to
//! 50 seconds; `quit`, `exit` or the end of input ends the program
//! (jobs still running are terminated at close).
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_httpd2 -- [--port 8181] [--node IP:PORT]
//! ```

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dashboard::{self, Job};
use pycos_examples::dispycos_a::DynError;
use pycos_net::dispycos::{
    Client, DispycosStatus, HttpServerBuilder, NodeAvailInfo, Status, StatusInfo,
};

/// The job, at a server: "computes" for `job.n` seconds.
#[task(remote)]
fn compute(job: Job, task: TaskCtx) {
    task.sleep(job.n).await;
}

/// The program's own status task: prints jobs' starts and ends.
#[task]
fn status_proc(task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(end) = msg.downcast_ref::<MonitorStatus>() {
            match &end.result {
                Ok(_) => println!("    job {} done", end.task),
                Err(err) => println!("  job {} failed: {err}", end.task),
            }
        } else if let Some(status) = msg.downcast_ref::<DispycosStatus>() {
            if let (Status::TaskStarted, StatusInfo::Task(info)) = (status.status, &status.info) {
                println!("job {} started", info.task);
            }
        } else if !msg.is::<NodeAvailInfo>() {
            println!("status message ignored: {}", msg.type_name());
        }
    }
}

#[task]
fn client_proc(
    client: Client,
    dashboard: HttpServerBuilder,
    task: TaskCtx,
) -> Result<(), DynError> {
    // Chained: the dashboard sees every status message, then the
    // program's own status task does.
    let httpd = dashboard.start(&client)?;
    client.schedule().await?;
    let mut i = 0;
    while let Ok(Some(_)) = task.receive().await.downcast::<Option<String>>() {
        i += 1;
        let n = 20.0 + 30.0 * fastrand::f64();
        match client.io_run(compute(Job { i, n })).await {
            Ok(job) => println!("  {i}: job {job} created"),
            Err(err) => println!("  {i}: job failed: {err}"),
        }
    }
    client
        .close(false, true, Some(Duration::from_secs(5)))
        .await?;
    httpd.shutdown(false).await;
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    let status = Task::new(status_proc()).untyped();
    dashboard::run(
        "enter anything else to run a job on one of the servers",
        Some(&status),
        client_proc,
    )
}
