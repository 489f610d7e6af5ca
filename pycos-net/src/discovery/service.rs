//! The discovery service: pycos tasks on the node's scheduler that ping the
//! group, answer pings and report every other node heard.
//!
//! - one *pinger* task sends a round of pings out of every sender socket at
//!   start and whenever it receives a message ([`Discovery::ping_now`]); a
//!   round is three pings over 4.5 s, since one datagram can be lost;
//! - one *listener* task per socket (the group socket and each sender
//!   socket) decodes what arrives, drops what fails to decode and what
//!   carries this node's own incarnation, answers a ping with a unicast pong
//!   (at most one answer per sender address per second, so a flood of pings
//!   cannot turn the node into an amplifier) and hands the announcement and
//!   its sender to the callback.
//!
//! The callback runs on the scheduler thread, inside a listener task: it
//! must return quickly (record the peer, send a message to a task that
//! dials it). With discovery off, [`start`] opens no socket at all.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use pycos::{AsyncSocket, Pycos, Task, TaskCtx, WaitExt};

use super::datagram::{self, Announce, AnnounceKind, MAX_DATAGRAM};
use super::socket::{self, Family};

/// The default discovery port (pycos' `udp_port`).
pub const DEFAULT_UDP_PORT: u16 = 9705;

/// The sender addresses remembered for rate limiting before old ones are
/// dropped.
const MAX_REMEMBERED: usize = 1024;

/// What the discovery service announces and where.
#[derive(Clone)]
pub struct DiscoveryConfig {
    /// Whether to run at all; off, nothing is sent and no socket is opened.
    pub enabled: bool,
    /// The UDP port shared by every node of the network.
    pub udp_port: u16,
    /// The local addresses of the interfaces to ping and listen on (IPv4
    /// ones join 239.255.97.5, IPv6 ones ff05::674f:48ba:b409:3171:9705);
    /// empty: the interface of the node's own address
    /// (`announce.location`).
    pub interfaces: Vec<IpAddr>,
    /// Tags every datagram, and refuses those without the right tag.
    pub secret: Option<Vec<u8>>,
    /// What this node announces (its kind is set per datagram).
    pub announce: Announce,
}

impl DiscoveryConfig {
    /// Discovery on, on the default port and the node's own interface,
    /// without a secret.
    pub fn new(announce: Announce) -> Self {
        Self {
            enabled: true,
            udp_port: DEFAULT_UDP_PORT,
            interfaces: Vec::new(),
            secret: None,
            announce,
        }
    }
}

impl fmt::Debug for DiscoveryConfig {
    /// Never prints the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiscoveryConfig")
            .field("enabled", &self.enabled)
            .field("udp_port", &self.udp_port)
            .field("interfaces", &self.interfaces)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("announce", &self.announce)
            .finish()
    }
}

/// Called with every valid announcement of another node and the address
/// it came from.
pub type OnFound = Arc<dyn Fn(Announce, SocketAddr) + Send + Sync>;

/// A running discovery service; dropping it (or [`stop`](Self::stop))
/// ends its tasks, which closes its sockets.
pub struct Discovery {
    pinger: Task,
    listeners: Vec<Task>,
}

impl fmt::Debug for Discovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Discovery")
            .field("listeners", &self.listeners.len())
            .finish_non_exhaustive()
    }
}

impl Discovery {
    /// Pings the group now (as at start): every node that hears it answers.
    pub fn ping_now(&self) {
        // Fails only when the service ended (its scheduler stopped).
        let _ = self.pinger.send(PingNow);
    }

    /// Ends the service.
    pub fn stop(self) {}
}

impl Drop for Discovery {
    fn drop(&mut self) {
        // An ended task needs no terminating.
        let _ = self.pinger.terminate();
        for task in &self.listeners {
            let _ = task.terminate();
        }
    }
}

/// The message that makes the pinger ping.
#[derive(Debug)]
struct PingNow;

/// Starts discovery on `sched`: binds the sockets, pings (a round of three), and calls
/// `on_found` for every other node heard from then on. `Ok(None)`, having
/// opened no socket, when `cfg.enabled` is false.
///
/// # Errors
///
/// When a socket cannot be opened, bound or joined to the group on one of
/// the interfaces (the message names which), or the announced name is over
/// 64 bytes (`InvalidInput`).
pub fn start(
    sched: &Pycos,
    cfg: DiscoveryConfig,
    on_found: OnFound,
) -> io::Result<Option<Discovery>> {
    if !cfg.enabled {
        return Ok(None);
    }
    let interfaces = if cfg.interfaces.is_empty() {
        vec![cfg.announce.location.ip()]
    } else {
        cfg.interfaces.clone()
    };
    let encode = |kind| {
        let announce = Announce {
            kind,
            ..cfg.announce.clone()
        };
        datagram::encode(&announce, cfg.secret.as_deref())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let ping = encode(AnnounceKind::Ping)?;
    let shared = Arc::new(Shared {
        incarnation: cfg.announce.incarnation,
        secret: cfg.secret.clone(),
        pong: encode(AnnounceKind::Pong)?,
        on_found,
        answered: Mutex::new(HashMap::new()),
    });
    let families = open(cfg.udp_port, &interfaces)?;
    let mut targets = Vec::new();
    let mut listeners = Vec::new();
    for family in families {
        // Pongs go out of the first sender socket of the family; the kernel
        // routes them by destination.
        let reply = family.senders[0].clone();
        let spec = listen(family.group.clone(), reply.clone(), shared.clone());
        listeners.push(sched.spawn(spec.named("pycos-discovery-group")).untyped());
        for sender in family.senders {
            targets.push((sender.clone(), family.group_addr));
            let spec = listen(sender.clone(), sender, shared.clone());
            listeners.push(sched.spawn(spec.named("pycos-discovery-replies")).untyped());
        }
    }
    let pinger = sched.spawn(pinger(targets, ping).named("pycos-discovery-ping"));
    Ok(Some(Discovery {
        pinger: pinger.untyped(),
        listeners,
    }))
}

/// The sockets of each family among `interfaces` (every family has at
/// least one sender).
fn open(port: u16, interfaces: &[IpAddr]) -> io::Result<Vec<Family>> {
    let v4: Vec<Ipv4Addr> = interfaces
        .iter()
        .filter_map(|ip| match ip {
            IpAddr::V4(ip) => Some(*ip),
            IpAddr::V6(_) => None,
        })
        .collect();
    let v6: Vec<Ipv6Addr> = interfaces
        .iter()
        .filter_map(|ip| match ip {
            IpAddr::V6(ip) => Some(*ip),
            IpAddr::V4(_) => None,
        })
        .collect();
    let mut families = Vec::new();
    if !v4.is_empty() {
        families.push(socket::open_v4(port, &v4)?);
    }
    if !v6.is_empty() {
        families.push(socket::open_v6(port, &v6)?);
    }
    Ok(families)
}

/// What the listener tasks share.
struct Shared {
    incarnation: u64,
    secret: Option<Vec<u8>>,
    pong: Vec<u8>,
    on_found: OnFound,
    /// When each sender was last answered (scheduler clock, seconds).
    answered: Mutex<HashMap<SocketAddr, f64>>,
}

impl Shared {
    /// Whether `from` may be answered now (and, if so, notes it).
    fn may_answer(&self, from: SocketAddr) -> bool {
        let now = pycos::time::now().unwrap_or_default();
        let mut answered = crate::util::lock(&self.answered);
        if let Some(last) = answered.get(&from)
            && now - last < 1.0
        {
            return false;
        }
        if answered.len() >= MAX_REMEMBERED {
            answered.retain(|_, last| now - *last < 1.0);
        }
        if answered.len() >= MAX_REMEMBERED {
            // Still full of senders answered within the second: refuse
            // newcomers until entries age out.
            return false;
        }
        answered.insert(from, now);
        true
    }
}

/// The pauses between the pings of a round: a datagram can be lost (the
/// first one on a link that has just come up often is), so a round pings
/// three times, as mDNS announces. The answers are rate limited to one a
/// second per sender, so the pauses are longer than that.
const REPING_AFTER: [f64; 2] = [1.5, 3.0];

#[pycos::task]
async fn pinger(targets: Vec<(Arc<AsyncSocket>, SocketAddr)>, ping: Vec<u8>, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        ping_all(&targets, &ping).await;
        let mut asked_again = false;
        for pause in REPING_AFTER {
            // A ping asked for meanwhile starts a new round.
            if task.receive().timeout(pause).await.is_some() {
                asked_again = true;
                break;
            }
            ping_all(&targets, &ping).await;
        }
        if !asked_again {
            task.receive().await;
        }
    }
}

async fn ping_all(targets: &[(Arc<AsyncSocket>, SocketAddr)], ping: &[u8]) {
    for (sock, group) in targets {
        if let Err(err) = sock.sendto(ping, *group).await {
            tracing::warn!("discovery: cannot ping {group}: {err}");
        }
    }
}

#[pycos::task]
async fn listen(
    sock: Arc<AsyncSocket>,
    reply: Arc<AsyncSocket>,
    shared: Arc<Shared>,
    task: TaskCtx,
) -> io::Result<()> {
    task.set_daemon(true);
    loop {
        // One byte more than the limit, so an oversize datagram is seen
        // as such rather than cut to size.
        let (data, from) = sock.recvfrom(MAX_DATAGRAM + 1).await?;
        let announce = match datagram::decode(&data, shared.secret.as_deref()) {
            Ok(announce) if announce.incarnation != shared.incarnation => announce,
            Ok(_) => continue,
            Err(err) => {
                tracing::debug!("discovery: datagram from {from} ignored: {err}");
                continue;
            }
        };
        if announce.kind == AnnounceKind::Ping
            && shared.may_answer(from)
            && let Err(err) = reply.sendto(&shared.pong, from).await
        {
            tracing::debug!("discovery: cannot answer {from}: {err}");
        }
        (shared.on_found)(announce, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Shared {
        Shared {
            incarnation: 1,
            secret: None,
            pong: Vec::new(),
            on_found: Arc::new(|_, _| {}),
            answered: Mutex::new(HashMap::new()),
        }
    }

    #[test]
    fn answers_each_sender_at_most_once_a_second() {
        // Off a scheduler the clock reads 0: every call is "the same
        // instant".
        let shared = shared();
        let a: SocketAddr = "10.0.0.1:5000".parse().unwrap();
        let b: SocketAddr = "10.0.0.1:5001".parse().unwrap();
        assert!(shared.may_answer(a));
        assert!(!shared.may_answer(a));
        assert!(shared.may_answer(b));
    }

    #[test]
    fn remembers_a_bounded_number_of_senders() {
        let shared = shared();
        for port in 0..MAX_REMEMBERED as u16 {
            assert!(shared.may_answer(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port)));
        }
        let newcomer = SocketAddr::new(Ipv4Addr::LOCALHOST.into(), u16::MAX);
        assert!(!shared.may_answer(newcomer), "full within the second");
        assert_eq!(shared.answered.lock().unwrap().len(), MAX_REMEMBERED);
    }

    #[test]
    fn disabled_discovery_opens_nothing() {
        let sched = Pycos::new();
        let cfg = DiscoveryConfig {
            enabled: false,
            ..DiscoveryConfig::new(Announce {
                kind: AnnounceKind::Ping,
                incarnation: 1,
                location: "127.0.0.1:9705".parse().unwrap(),
                name: "off".into(),
            })
        };
        assert!(start(&sched, cfg, Arc::new(|_, _| {})).unwrap().is_none());
        sched.finish().unwrap();
    }
}
