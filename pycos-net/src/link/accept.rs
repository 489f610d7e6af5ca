//! Taking peers' connections: each gets a task that runs its handshake
//! and then the link.

use std::sync::Arc;

use pycos::prelude::*;

use crate::handshake::Role;
use crate::node::state::NodeState;

/// Starts the listening task on `listener`.
pub(crate) fn start(node: &Arc<NodeState>, listener: AsyncSocket) {
    node.sched.spawn(listen(node.clone(), listener));
}

#[task]
fn listen(node: Arc<NodeState>, listener: AsyncSocket, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        match listener.accept().await {
            Ok((sock, from)) => {
                if node.closed.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                tracing::trace!(%from, "connection accepted");
                node.sched.spawn(serve(node.clone(), sock));
            }
            Err(err) => {
                if node.closed.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                // Out of descriptors and the like: wait a little, go on.
                tracing::warn!(%err, "accept failed");
                task.sleep(0.05).await;
            }
        }
    }
}

#[task]
fn serve(node: Arc<NodeState>, sock: AsyncSocket, task: TaskCtx) {
    task.set_daemon(true);
    if let Err(why) = super::conn::run(node, sock, Role::Listener, None).await {
        tracing::info!(%why, "incoming connection refused");
    }
}
