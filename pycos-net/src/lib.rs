//! Networking for pycos-rs: netpycos (peers, discovery, remote tasks and
//! channels, RPS) and dispycos.
//!
//! Not implemented yet: this crate only reserves the name in the workspace so
//! that the layout of `DESIGN.md` §1 holds from the start. The wire, peer and
//! registry layers arrive with the networking issues.
#![forbid(unsafe_code)]
