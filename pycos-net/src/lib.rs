//! Networking for pycos-rs: netpycos — nodes that find each other,
//! authenticate, and message each other's tasks and channels.
//!
//! A program becomes a node with one call at the start of `main`; from
//! then on the core's own API reaches other nodes: `Task::locate` finds a
//! task another node registered, and `send`, `deliver`, `throw`,
//! `terminate`, `finish` and monitors work on it as on a local task.
//! Channels likewise (`Channel::locate`, `subscribe`, `send`,
//! `deliver(n)` counting recipients on every node). Handles travel inside
//! messages and keep working wherever they arrive; one that comes home is
//! the local task again.
//!
//! The server and client of pycos' tutorial (§7.3), as two programs:
//!
//! ```no_run
//! use pycos::prelude::*;
//!
//! #[task]
//! fn server_proc(task: TaskCtx) {
//!     task.set_daemon(true);
//!     task.register("server_task").unwrap();
//!     loop {
//!         let msg = task.receive().await;
//!         println!("received {msg:?}");
//!     }
//! }
//!
//! #[pycos::main]
//! fn main() -> Result<(), pycos_net::NodeError> {
//!     pycos_net::Node::builder().start()?; // netpycos instead of pycos
//!     Task::new(server_proc());
//!     std::io::stdin().lines().map_while(Result::ok).find(|cmd| cmd == "quit");
//!     Ok(())
//! }
//! ```
//!
//! ```no_run
//! use pycos::prelude::*;
//!
//! #[task]
//! fn client_proc(n: u32, task: TaskCtx) -> Result<(), String> {
//!     let server = Task::locate("server_task").await.ok_or("no server")?;
//!     for x in 0..3 {
//!         task.sleep(0.5 + fastrand::f64() * 2.5).await;
//!         server.send(format!("{n} / {x}")).map_err(|e| e.to_string())?;
//!     }
//!     Ok(())
//! }
//!
//! #[pycos::main]
//! fn main() -> Result<(), pycos_net::NodeError> {
//!     pycos_net::Node::builder().start()?; // discovery finds the server
//!     for i in 0..10 {
//!         Task::new(client_proc(i));
//!     }
//!     Ok(())
//! }
//! ```
//!
//! (`examples/src/bin/remote_task_{server,client}.rs` are these two with
//! a command line for loopback and explicit peers.)
//!
//! # What a node does
//!
//! - [`Node`] / [`NodeBuilder`]: name, listening and advertised addresses,
//!   TCP port (9705, or an ephemeral one when it is taken), UDP discovery
//!   (port 9705, the chosen interfaces; nothing at all is sent when off),
//!   secret, TLS, timeouts; `peer`, `peers`, `close_peer`, `locate_peer`,
//!   `peer_status` ([`PeerStatus`] messages), `discover_peers`,
//!   `ignore_peers`, `locate_task` / `locate_channel` with a time limit
//!   and at a given peer.
//! - Links: one TCP connection per pair of nodes, simultaneous connects
//!   resolved the same way on both sides; opened by the [`handshake`]
//!   (protocol version, codec, names, incarnations, nonces, and each
//!   side's HMAC-SHA256 proof of the secret over the whole transcript,
//!   bound to the TLS session when TLS is on); ticks after silence; a link
//!   silent for the message timeout is closed and redialed with backoff;
//!   a peer is Offline after `max_connection_errors` failed connects, and
//!   then every waiting request fails as unreachable and every monitor of
//!   a task there hears so once. A restarted peer has a new incarnation:
//!   handles to its old tasks report ended and never reach a new task.
//! - The [`wire`]: length-prefixed frames with a size limit checked
//!   before allocating, postcard bodies, queued frames coalesced into one
//!   write, frames over 64 KiB cut into chunks that never delay small
//!   frames (and never overtake earlier messages to the same task).
//! - Messages: any type registered with `#[derive(pycos::Message)]` (or
//!   built in) crosses the wire; sending another is an immediate
//!   `SendError` naming the type. `send` is at most once and in order per
//!   sender and receiver; `deliver` answers delivered, not delivered, or
//!   timed out (unknown).
//! - Files: [`Node::send_file`] streams a file to a peer's `dest_path`
//!   (times and mode kept, confined under `dest_path`, `max_file_size`
//!   checked first), a piece at a time on the shared link, resumable
//!   after a broken link: the receiver keeps a partial file while the
//!   sender may come back (through redials, and for the message timeout
//!   after it went Offline), then deletes it; [`Node::del_file`].
//! - [`rps`]: remote task functions (`#[task(remote)]`) published with
//!   [`Rps::register`] and called through a typed proxy from
//!   [`Rps::locate`]: the call takes the function's own argument types and
//!   gives a `Task<R>` whose `finish` gives `R` or the remote failure.
//! - [`discovery`]: fixed-format UDP announcements, tagged with an HMAC
//!   when a secret is set, multicast on the chosen interfaces only.
//!
//! One node per process: ids carry the process's incarnation, so a
//! process is one node. The node's tasks run on `Pycos::instance()` (or
//! the scheduler given), beside the program's, which keeps a remote round
//! trip on one thread per process.
//!
//! The byte format below the node, for tools and tests:
//!
//! ```
//! use pycos_net::Location;
//! use pycos_net::wire::{self, FrameKind, FrameReader};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let here: Location = "127.0.0.1:9705".parse()?;
//!
//! // Sender: encode the value, append one frame to the outgoing buffer.
//! let mut out = Vec::new();
//! wire::write_frame(FrameKind::Message, &wire::encode(&here)?, &mut out)?;
//!
//! // Receiver: bytes arrive in any chunks; frames come out whole.
//! let mut reader = FrameReader::new(wire::DEFAULT_MAX_FRAME);
//! for chunk in out.chunks(3) {
//!     assert_eq!(reader.push(chunk), chunk.len());
//! }
//! let frame = reader.next_frame()?.expect("one whole frame");
//! assert_eq!(frame.kind(), FrameKind::Message);
//! let there: Location = wire::decode(frame.body(), wire::DEFAULT_MAX_FRAME)?;
//! assert_eq!(there, here);
//! # Ok(())
//! # }
//! ```
//!
//! # Cargo features
//!
//! - `bincode` (off by default): encode frame bodies with bincode `=2.0.1`
//!   instead of postcard. bincode is unmaintained (RUSTSEC-2025-0141), so it
//!   is pinned to the last reviewed release and only offered for programs
//!   that already speak it; postcard is the default because its format is
//!   specified and stable across its 1.x releases. The codec is chosen at
//!   compile time ([`wire::Codec::ACTIVE`]) and named in the handshake, so
//!   two nodes built with different codecs refuse each other instead of
//!   misreading bytes.
//!
//! [frames]: wire::Frame
//! [codec]: wire::encode
#![deny(unsafe_code)]

/// Envelope decoders and sample encoders for the fuzz and security tests
/// only.
#[doc(hidden)]
#[path = "fuzz_hooks.rs"]
pub mod __fuzz;
pub mod discovery;
mod discovery_glue;
pub mod dispycos;
mod error;
mod files;
pub mod handshake;
mod link;
mod located;
mod location;
mod messages;
mod node;
mod proto;
pub mod rps;
mod util;
pub mod wire;

pub use error::ParseLocationError;
pub use files::{FileError, SentFile};
pub use located::Located;
pub use location::Location;
pub use node::{DEFAULT_PORT, Node, NodeBuilder, NodeError, PeerError, PeerState, PeerStatus};
pub use rps::{Rps, RpsError};
