//! Finding a published remote function: a `LocateRps` to the peer given,
//! or to every peer online (and every one that comes online while the
//! search lasts). The first peer that publishes it with our signature
//! wins; a peer that publishes it with another one is remembered, so that
//! a search that finds no match can say which signatures it saw.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use pycos::WaitExt;

use super::error::Refusal;
use crate::Location;
use crate::node::requests::Reply;
use crate::node::state::NodeState;
use crate::proto::{Answer, Op};
use crate::util::lock;

/// What a search saw.
#[derive(Debug, Default)]
pub(super) struct Seen {
    /// The first peer with our signature.
    pub(super) found: Option<Location>,
    /// The first peer with another signature (its hash and types).
    pub(super) other: Option<(Location, u64, String)>,
    /// Peers that answered.
    answered: HashSet<Location>,
    waker: Option<Waker>,
}

/// Asks for `name` with `signature` at `at` (linked to first if needed)
/// or at every peer, for at most `limit`. At one peer the search ends
/// with its answer; at every peer, when one has it or at the limit.
pub(super) async fn find(
    node: &Arc<NodeState>,
    name: &'static str,
    signature: u64,
    at: Option<Location>,
    limit: Duration,
) -> Seen {
    if let Some(location) = at {
        let peer = node.peer_at(location);
        node.revive(&peer);
        node.ensure_link(&peer);
    }
    let seen = Arc::new(Mutex::new(Seen::default()));
    let search = Search {
        node: node.clone(),
        name,
        signature,
        at,
        seen: seen.clone(),
        asked: HashSet::new(),
    };
    let _ = search.timeout(limit).await;
    let mut seen = lock(&seen);
    std::mem::take(&mut *seen)
}

struct Search {
    node: Arc<NodeState>,
    name: &'static str,
    signature: u64,
    at: Option<Location>,
    seen: Arc<Mutex<Seen>>,
    asked: HashSet<Location>,
}

impl Search {
    /// Asks every peer online that was not asked yet.
    fn ask_new_peers(&mut self) {
        for peer in self.node.all_peers() {
            if self.at.is_some_and(|at| at != peer.location)
                || !peer.is_up()
                || !self.asked.insert(peer.location)
            {
                continue;
            }
            let (seen, signature, location) = (self.seen.clone(), self.signature, peer.location);
            let reply = Reply::new(move |answer| {
                let waker = {
                    let mut seen = lock(&seen);
                    seen.answered.insert(location);
                    match answer {
                        Ok(Answer::RpsFound { signature: s, .. }) if s == signature => {
                            seen.found.get_or_insert(location);
                        }
                        Ok(Answer::RpsFound { signature, types })
                        | Ok(Answer::RpsRefused(Refusal::Signature { signature, types })) => {
                            seen.other.get_or_insert((location, signature, types));
                        }
                        _ => {} // this peer has none: others may
                    }
                    seen.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            });
            let op = Op::LocateRps {
                name: self.name.to_owned(),
            };
            self.node.request(&peer, None, &op, reply);
        }
    }

    fn done(&self, seen: &Seen) -> bool {
        seen.found.is_some() || self.at.is_some_and(|at| seen.answered.contains(&at))
    }
}

impl Future for Search {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        {
            let mut seen = lock(&self.seen);
            if self.done(&seen) {
                return Poll::Ready(());
            }
            seen.waker = Some(cx.waker().clone());
        }
        self.node.on_peer_change(cx.waker());
        self.ask_new_peers();
        let seen = lock(&self.seen);
        if self.done(&seen) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}
