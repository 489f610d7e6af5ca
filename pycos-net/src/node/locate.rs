//! Finding a task or channel by name on the peers: every peer online is
//! asked (and every peer that comes online while the search lasts); the
//! first one that has it answers the search.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use pycos::{Channel, Task, WaitExt};

use crate::Location;
use crate::proto::{Answer, Op};

use super::peer::Peer;
use super::state::NodeState;
use crate::util::lock;

/// What a search looks for.
#[derive(Debug, Clone)]
pub(crate) enum Wanted {
    Task(String),
    Channel(String),
}

/// What a search found.
#[derive(Debug)]
pub(crate) enum Found {
    Task(Task),
    Channel(Channel),
}

impl Found {
    pub(crate) fn into_task(self) -> Option<Task> {
        match self {
            Found::Task(task) => Some(task),
            Found::Channel(_) => None,
        }
    }

    pub(crate) fn into_channel(self) -> Option<Channel> {
        match self {
            Found::Channel(channel) => Some(channel),
            Found::Task(_) => None,
        }
    }
}

#[derive(Debug, Default)]
struct Search {
    found: Option<Found>,
    waker: Option<Waker>,
}

/// Looks for `wanted` on the peer at `at` (connecting to it if needed), or
/// on every peer, for at most `limit`.
pub(crate) async fn find(
    node: &Arc<NodeState>,
    wanted: Wanted,
    at: Option<Location>,
    limit: Duration,
) -> Option<Found> {
    let search = Arc::new(Mutex::new(Search::default()));
    let at = at.map(|location| {
        let peer = node.peer_at(location);
        node.revive(&peer);
        node.ensure_link(&peer);
        peer
    });
    let waiting = Waiting {
        node: node.clone(),
        wanted,
        at,
        search: search.clone(),
        asked: HashSet::new(),
    };
    waiting.timeout(limit).await.flatten()
}

struct Waiting {
    node: Arc<NodeState>,
    wanted: Wanted,
    /// The one peer to ask (it may be known under another location).
    at: Option<Arc<Peer>>,
    search: Arc<Mutex<Search>>,
    asked: HashSet<Location>,
}

impl Waiting {
    /// Asks every peer online that was not asked yet.
    fn ask_new_peers(&mut self) {
        for peer in self.node.all_peers() {
            if self.at.as_ref().is_some_and(|at| !Arc::ptr_eq(at, &peer))
                || !peer.is_up()
                || !self.asked.insert(peer.location)
            {
                continue;
            }
            let op = match &self.wanted {
                Wanted::Task(name) => Op::LocateTask { name: name.clone() },
                Wanted::Channel(name) => Op::LocateChannel { name: name.clone() },
            };
            let search = self.search.clone();
            let reply = super::requests::Reply::new(move |answer| {
                let found = match answer {
                    Ok(Answer::FoundTask(Some(task))) => Some(Found::Task(task)),
                    Ok(Answer::FoundChannel(Some(channel))) => Some(Found::Channel(channel)),
                    _ => None,
                };
                let Some(found) = found else {
                    return; // this peer has none: others may
                };
                let waker = {
                    let mut search = lock(&search);
                    if search.found.is_some() {
                        return; // the first answer won
                    }
                    search.found = Some(found);
                    search.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            });
            self.node.request(&peer, None, &op, reply);
        }
    }
}

impl Future for Waiting {
    type Output = Option<Found>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Found>> {
        {
            let mut search = lock(&self.search);
            if let Some(found) = search.found.take() {
                return Poll::Ready(Some(found));
            }
            search.waker = Some(cx.waker().clone());
        }
        self.node.on_peer_change(cx.waker());
        self.ask_new_peers();
        let mut search = lock(&self.search);
        match search.found.take() {
            Some(found) => Poll::Ready(Some(found)),
            None => Poll::Pending,
        }
    }
}
