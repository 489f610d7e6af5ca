//! Port of the program in section 7.4 of the pycos tutorial
//! ("Distributed Communicating Tasks"), line for line: the client's task
//! is also its status task, and starts a job at each server the status
//! messages announce, and another at a server each time its job ends,
//! until `njobs` are done.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_tutorial -- [JOBS]                 # its own node, 2 servers
//! cargo run -p pycos-examples --bin dispycos_tutorial -- [JOBS] --node IP:PORT  # a running dispycosnode
//! ```
//!
//! `JOBS` defaults to 10. As in the tutorial, a job may be submitted
//! more than `njobs` times: `submitted` counts a job once it started,
//! and two ends may come before that.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::cluster::serve_if_node;
use pycos_examples::dispycos_a::{DynError, run_jobs, uniform, where_is};
use pycos_net::dispycos::{Client, DispycosStatus, Status};
use pycos_net::{Located, Location};

// This function runs at the servers, as jobs.
#[task(remote)]
fn rtask_proc(n: f64, task: TaskCtx) -> f64 {
    task.sleep(n).await;
    n
}

/// The jobs submitted and done (the tutorial's dictionary `status`),
/// shared by the tasks of this scheduler: one runs at a time, so no lock.
#[derive(Debug, Default)]
struct JobStatus {
    submitted: usize,
    done: usize,
}

#[task(local)]
fn submit_job(computation: Client, status: Rc<RefCell<JobStatus>>, at: Location) {
    let arg = uniform(5.0, 20.0);
    let rtask = computation.run_at(at, rtask_proc(arg)).await;
    match rtask {
        Ok(rtask) => println!("{} processing {arg}", where_is(&rtask)),
        Err(err) => println!("Job {} failed: {err}", status.borrow().submitted),
    }
    status.borrow_mut().submitted += 1;
}

#[task]
fn client_proc(computation: Client, njobs: usize, task: TaskCtx) -> Result<(), DynError> {
    let status = Rc::new(RefCell::new(JobStatus::default()));

    computation.set_status_task(&task.handle());
    computation.schedule().await?;
    // The job submitter assumes that a server runs at most one job at a
    // time, although more (many thousands, if need be) can run.
    loop {
        let msg = task.receive().await;
        if let Some(ended) = msg.downcast_ref::<MonitorStatus>() {
            let rtask = &ended.task;
            match ended
                .result
                .as_ref()
                .map(|value| value.downcast_ref::<f64>())
            {
                Ok(Some(n)) => println!("Remote task {} finished with {n}", where_is(rtask)),
                Ok(None) => eprintln!("warning: remote task {} gave no number", where_is(rtask)),
                Err(err) => eprintln!(
                    "warning: remote task {} terminated with {err}",
                    where_is(rtask)
                ),
            }
            status.borrow_mut().done += 1;
            let JobStatus { submitted, done } = *status.borrow();
            // Jobs are submitted by tasks, and `submitted` counts a job
            // after it started: more than `njobs` may be submitted.
            if done >= njobs && done == submitted {
                break;
            }
            if let Some(at) = rtask.location()
                && submitted < njobs
            {
                // Another job at this server.
                task.spawn_local(submit_job(computation.clone(), status.clone(), at));
            }
        } else if let Some(msg) = msg.downcast_ref::<DispycosStatus>() {
            // A new server is ready (a setup of its own would go first).
            if let (Status::ServerInitialized, Some(at)) = (msg.status, msg.info.server()) {
                task.spawn_local(submit_job(computation.clone(), status.clone(), at));
            }
        }
        // Other messages (the nodes' availability pulses) are ignored.
    }
    computation
        .close(false, false, Some(Duration::from_secs(60)))
        .await?;
    Ok(())
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    run_jobs(10, client_proc)
}
