//! Ports of pycos' example programs, one binary each in `src/bin/`.
//!
//! Run one with `cargo run -p pycos-examples --bin <name>`.

pub mod console;
pub mod net;
pub mod sha1;
