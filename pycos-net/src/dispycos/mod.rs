//! dispycos: distributed computing on a cluster of nodes.
#![allow(dead_code)]

mod allocate;
mod avail;
pub mod cli;
mod client;
mod exe;
mod node;
mod proto;
mod scheduler;
mod server;
mod spawn;
mod status;

pub use allocate::NodeAllocate;
pub use client::{Client, ClientBuilder, DispycosError, MAX_PULSE_INTERVAL, MIN_PULSE_INTERVAL};
pub use node::{DaemonCommand, DaemonConfig, NodeDaemon, node_main};
pub use proto::Where;
pub use server::{
    KeyboardInterrupt, SERVER_ENV, close_node, close_server, is_keyboard_interrupt, serve_if_server,
};
pub use status::{DispycosStatus, NodeAvailInfo, NodeInfo, Status, StatusInfo, TaskInfo};

/// A random, nonzero 64-bit id (clients, node reservations).
pub(crate) fn random_id() -> u64 {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; 8];
    // The system random source does not fail on Linux; a zero id is
    // replaced below in any case.
    let _ = SystemRandom::new().fill(&mut bytes);
    u64::from_le_bytes(bytes).max(1)
}
