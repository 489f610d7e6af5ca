//! dispycos: distributed computing on a cluster of nodes (pycos'
//! `dispycos`, `dispycosnode.py` and `dispycos.py`).
//!
//! - A **node** (`dispycosnode`, [`node_main`], [`NodeDaemon`]) offers a
//!   machine's CPUs to one client at a time: one server process per CPU.
//! - A **server** runs the client's own executable in server mode: the
//!   client ships it (hashed with SHA-256, cached on the node by hash and
//!   checked before it runs), and `#[pycos::main]` (or
//!   [`serve_if_server`]) makes a process the node starts a server
//!   before the user's `main` runs. It creates the client's
//!   `#[task(remote)]` functions as jobs, runs its `node_setup` and
//!   `server_setup`, and dies with its node (the parent-death signal).
//! - The **scheduler** runs in the client's process: it initialises the
//!   nodes the client's [`NodeAllocate`] rules allow, gives each CPU job
//!   a server with no other CPU job (least-loaded node first), follows
//!   every job to its end and sends the client's status task every
//!   [`DispycosStatus`] in pycos' order.
//! - The **client** ([`Client`]) runs jobs: `run(f(args))` takes the
//!   spec of a `#[task(remote)]` function call and gives a `Task<R>` whose
//!   `finish` gives `R`, or how the job failed.
//!
//! ```no_run
//! use pycos::prelude::*;
//! use pycos_net::dispycos::Client;
//!
//! #[task(remote)]
//! fn compute(n: u64, task: TaskCtx) -> u64 {
//!     task.sleep(0.01).await;
//!     n * n
//! }
//!
//! #[task]
//! fn client_proc(client: Client) -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
//!     client.schedule().await?; // the scheduler runs in this process
//!     let job = client.run(compute(7)).await?; // one CPU job per server at a time
//!     let value = job.finish().await?; // 49, or how the job failed
//!     client.close(false, false, None).await?;
//!     Ok(value)
//! }
//!
//! #[pycos::main] // in a server process, serves jobs instead of running main
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     pycos_net::Node::builder().start()?;
//!     let peer = "127.0.0.1:9706".parse()?; // a dispycosnode on loopback
//!     let client = Client::builder().peer(peer).build()?;
//!     let value = Task::new(client_proc(client)).value()?;
//!     println!("{value:?}");
//!     Ok(())
//! }
//! ```
//!
//! Differences from pycos, each for a reason: `node_setup` runs in every
//! server process (a Rust process cannot be forked with an interpreter's
//! state the way pycos forks its spawn process); code is shipped as the
//! executable, not as source; the results are typed.

mod allocate;
mod avail;
pub mod cli;
mod client;
mod exe;
pub mod httpd;
mod node;
mod proto;
mod scheduler;
mod server;
mod spawn;
mod status;

pub use allocate::NodeAllocate;
pub use client::{Client, ClientBuilder, DispycosError, MAX_PULSE_INTERVAL, MIN_PULSE_INTERVAL};
pub use httpd::{HttpServer, HttpServerBuilder, HttpdError};
pub use node::{DaemonCommand, DaemonConfig, NodeDaemon, node_main};
pub use proto::Where;
pub use scheduler::scheduler_main;
pub use server::{
    KeyboardInterrupt, SERVER_ENV, close_node, close_server, is_keyboard_interrupt, serve_if_server,
};
pub use spawn::spawn_tied;
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
