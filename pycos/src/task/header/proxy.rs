//! A header that stands for a task on another node (see `crate::remote`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use super::{Header, Paused, REMOTE_SLOT, Rare, State};
use crate::remote::{Hook, RemoteTask};
use crate::runtime::{RunFlag, Shared};
use crate::task::Task;
use crate::task::lock::StateLock;
use crate::task::pause::Pause;

/// The remote task a proxy header stands for.
pub(crate) struct Proxied {
    pub(crate) target: RemoteTask,
    /// Whether the hook was asked to report the end.
    pub(crate) watched: bool,
}

impl Header {
    /// A proxy of the task `target` on another node, served by `sched`'s
    /// hook. It is a daemon: it keeps no `join` waiting.
    pub(crate) fn new_remote(sched: Arc<Shared>, target: RemoteTask) -> Arc<Header> {
        let name = crate::id::intern_remote(&target.name);
        let rare = Rare {
            remote: Some(Box::new(Proxied {
                target,
                watched: false,
            })),
            ..Rare::default()
        };
        Arc::new(Header {
            serial: 0,
            sched,
            run: RunFlag::default(),
            interrupted: AtomicBool::new(false),
            slot: AtomicU32::new(REMOTE_SLOT),
            paused: Paused::new(Pause::NESTED),
            state: StateLock::new(State {
                name,
                daemon: true,
                rare: Some(Box::new(rare)),
                ..State::default()
            }),
        })
    }

    /// Whether this is a proxy of a task on another node.
    #[inline]
    pub(crate) fn is_remote(&self) -> bool {
        self.slot.load(Ordering::Relaxed) == REMOTE_SLOT
    }

    /// The hook and the reference of a proxy; `None` for a local task.
    #[inline]
    pub(crate) fn remote(&self) -> Option<(Arc<dyn Hook>, RemoteTask)> {
        if !self.is_remote() {
            return None;
        }
        self.remote_slow()
    }

    #[cold]
    fn remote_slow(&self) -> Option<(Arc<dyn Hook>, RemoteTask)> {
        let target = self.lock().rare_ref()?.remote.as_ref()?.target.clone();
        // A proxy is only made for a scheduler with a hook (`from_remote`).
        let hook = self.sched.hook.get()?.clone();
        Some((hook, target))
    }

    /// Asks the hook, once, to report the end of the remote task behind
    /// this proxy; nothing for a local task.
    pub(crate) fn watch_if_remote(self: &Arc<Self>) {
        if !self.is_remote() {
            return;
        }
        let first = {
            let mut state = self.lock();
            state.outcome.is_none()
                && state
                    .rare()
                    .remote
                    .as_mut()
                    .is_some_and(|proxied| !std::mem::replace(&mut proxied.watched, true))
        };
        if let (true, Some(hook)) = (first, self.sched.hook.get()) {
            hook.watch(&Task::from_header(self.clone()));
        }
    }
}
