//! Initialising one node for the served client, in its own task: info,
//! allocation, reservation, the executable and dependencies, then the
//! servers' start. Each step is bounded by the node's message timeout;
//! the scheduler hears `Reserved`, `Initialized` or `Failed`.

use std::time::Duration;

use pycos::prelude::*;

use super::Internal;
use crate::dispycos::proto::{ClientSpec, NODE_TASK, NodeReply, SetupCall, ToAgent, ToNode};
use crate::dispycos::status::NodeInfo;
use crate::{Location, Node};

/// `enable_node`: go on with the initialisation (with these setup
/// arguments, when given).
#[derive(Debug, Clone)]
pub(super) struct Enable(pub(super) Option<SetupCall>);

#[task]
pub(super) fn node_init(
    node: Node,
    sched: Task,
    spec: ClientSpec,
    location: Location,
    name: String,
    task: TaskCtx,
) {
    let failed = |why: String| {
        let _ = sched.send(Internal::Failed { location, why });
    };
    if let Err(why) = run(&node, &sched, spec, location, &name, &task).await {
        failed(why);
    }
}

async fn run(
    node: &Node,
    sched: &Task,
    spec: ClientSpec,
    location: Location,
    name: &str,
    task: &TaskCtx,
) -> Result<(), String> {
    let limit = node.state().msg_timeout();
    let mut daemon = None;
    for _ in 0..10 {
        daemon = node.locate_task(NODE_TASK, Some(location), limit).await;
        if daemon.is_some() {
            break;
        }
    }
    let daemon = daemon.ok_or_else(|| format!("{name} at {location} has no {NODE_TASK} task"))?;
    let me = task.handle();
    let info = match ask(task, &daemon, ToNode::Info { reply: me.clone() }, limit).await? {
        NodeReply::Info(info) => info,
        other => return Err(format!("unexpected answer {other:?}")),
    };
    let cpus = allocate(task, &spec, &info, limit).await?;
    if cpus == 0 {
        return Err(format!("allocation gives {name} no CPUs"));
    }
    let reserve = ToNode::Reserve {
        client: spec.id,
        cpus,
        scheduler: sched.clone(),
        exe_digest: spec.exe_digest.clone(),
        pulse_interval: spec.pulse_interval,
        reply: me.clone(),
    };
    let (cpus, auth, have_exe, upload) = match ask(task, &daemon, reserve, limit).await? {
        NodeReply::Reserved { cpus: 0, .. } => return Err(format!("{name} is busy")),
        NodeReply::Reserved {
            cpus,
            auth,
            have_exe,
            upload,
        } => (cpus, auth, have_exe, upload),
        other => return Err(format!("unexpected answer {other:?}")),
    };
    let reserved = Internal::Reserved {
        info: NodeInfo { cpus, ..info },
        auth: auth.clone(),
        task: daemon.clone(),
        init: me.clone(),
    };
    let _ = sched.send(reserved);
    let mut setup = spec.setup.clone();
    if spec.disable_nodes {
        // Wait, as long as it takes, for the client's `enable_node`.
        let enable = task.receive_matching(|msg| msg.is::<Enable>()).await;
        if let Some(Enable(Some(call))) = enable.downcast_ref::<Enable>().cloned() {
            setup.node_setup = Some(call);
        }
    }
    let transfer = limit.max(Duration::from_secs(30));
    // What a client of another process sent is under this node's dest_path.
    let local = |path: &str| {
        if spec.uploaded {
            node.dest_path().join(path)
        } else {
            std::path::PathBuf::from(path)
        }
    };
    if !have_exe {
        node.send_file(
            location,
            local(&spec.exe_path),
            Some(&upload),
            true,
            transfer,
        )
        .await
        .map_err(|err| format!("cannot send the executable to {name}: {err}"))?;
    }
    for file in &spec.dependencies {
        node.send_file(location, local(file), None, true, transfer)
            .await
            .map_err(|err| format!("cannot send {file} to {name}: {err}"))?;
    }
    let exe_name = std::path::Path::new(&spec.exe_path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let request = ToNode::Setup {
        auth,
        setup,
        exe_name,
        reply: me,
    };
    match ask(task, &daemon, request, transfer).await? {
        NodeReply::SetupDone { .. } => {
            let _ = sched.send(Internal::Initialized { location });
            Ok(())
        }
        NodeReply::SetupFailed(why) => Err(why),
        other => Err(format!("unexpected answer {other:?}")),
    }
}

/// Sends `request` and waits for the node's reply.
async fn ask(
    task: &TaskCtx,
    to: &Task,
    request: ToNode,
    limit: Duration,
) -> Result<NodeReply, String> {
    to.send(request).map_err(|err| err.to_string())?;
    let reply = task
        .receive_matching(|msg| msg.is::<NodeReply>())
        .timeout(limit)
        .await
        .ok_or_else(|| "the node did not answer in time".to_owned())?;
    reply
        .downcast::<NodeReply>()
        .map_err(|_| "a reply that is not a node's".to_owned())
}

/// The CPUs the client's rules give the node (the first rule that
/// matches and does not say "not this platform" decides).
async fn allocate(
    task: &TaskCtx,
    spec: &ClientSpec,
    info: &NodeInfo,
    limit: Duration,
) -> Result<usize, String> {
    let (memory, disk) = info.avail.as_ref().map_or((u64::MAX, u64::MAX), |a| {
        (a.memory.unwrap_or(u64::MAX), a.disk.unwrap_or(u64::MAX))
    });
    if spec.custom_allocate {
        let ask = ToAgent::Allocate {
            node: info.clone(),
            memory,
            disk,
            reply: task.handle(),
        };
        spec.agent.send(ask).map_err(|err| err.to_string())?;
        let reply = task
            .receive_matching(|msg| msg.is::<i64>())
            .timeout(limit)
            .await
            .ok_or("the client's allocate did not answer in time")?;
        let cpus = reply.downcast::<i64>().unwrap_or(0);
        return Ok(usize::try_from(cpus).unwrap_or(0).min(info.cpus));
    }
    let addr = info.addr().to_string();
    for rule in spec
        .allocations
        .iter()
        .filter(|rule| rule.matches_node(&addr, &info.name))
    {
        let cpus = rule.allocate(&info.platform, info.cpus, memory, disk);
        if cpus >= 0 {
            return Ok(usize::try_from(cpus).unwrap_or(0).min(info.cpus));
        }
    }
    Ok(0)
}
