//! Ports of pycos' example programs, one binary each in `src/bin/`.
//!
//! Run one with `cargo run -p pycos-examples --bin <name>`. The modules
//! hold what several programs share: the command line and console of the
//! networked ones, and the messages each client and its server exchange
//! (one definition, so both sides agree on the wire).

pub mod chat_chan;
pub mod cluster;
pub mod console;
pub mod dashboard;
pub mod dispycos_a;
pub mod dispycos_b;
pub mod net;
pub mod pico;
pub mod remote_channel;
pub mod rps_log_watch;
pub mod rps_monitor;
pub mod rps_node;
pub mod rps_pico;
pub mod sha1;
