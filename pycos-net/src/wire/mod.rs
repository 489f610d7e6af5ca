//! The wire: how bytes between two nodes are cut into frames and how values
//! become frame bodies.
//!
//! # Frames
//!
//! ```text
//! +----------------+--------+---------------------------+
//! | len: u32 BE    | kind   | body: len - 1 bytes       |
//! +----------------+--------+---------------------------+
//!   4 bytes          1 byte
//! ```
//!
//! `len` counts what follows it (the kind byte and the body), as pycos'
//! `send_msg` prefix. [`FrameKind`] gives each kind a stable byte; byte 0 is
//! never a kind. Frames are appended to an outgoing buffer with
//! [`write_frame`] (so a writer can coalesce queued frames into one write)
//! and cut out of an incoming stream by a [`FrameReader`].
//!
//! # Limits
//!
//! A peer's bytes decide nothing about how much this node allocates:
//!
//! - a `FrameReader` has a largest frame ([`DEFAULT_MAX_FRAME`], 16 MiB,
//!   prefix included); it checks the length prefix as soon as its 4 bytes
//!   arrive, before keeping any body byte, never buffers more than that
//!   limit, and skips a refused frame by counting its bytes, so the stream
//!   stays in sync and the link decides whether to go on;
//! - [`decode`] takes a limit too and refuses longer input before looking
//!   at it; inside the input, no length prefix can reserve capacity ahead of
//!   the elements it claims (a serde adapter hides size hints and reads
//!   strings as borrowed before copying), so what a decode allocates grows
//!   only with the bytes it has actually decoded;
//! - every failure is an error value ([`FrameError`], [`DecodeError`]) with
//!   `is_*()` queries, never a panic: the decoders are driven by a
//!   fuzz-style test (`tests/wire_fuzz.rs`) on random and mutated input.
//!
//! # Why postcard
//!
//! postcard's format is specified and stable across its 1.x releases,
//! compact (varints, no field names), maintained, and decodes from a slice,
//! borrowing, with no allocation of its own. bincode `=2.0.1` is available
//! behind the `bincode` feature for programs that need it, but it is
//! unmaintained (RUSTSEC-2025-0141), so it is pinned and never the default.
//! Which one a build uses is [`Codec::ACTIVE`]; the handshake carries its
//! byte, and nodes that differ refuse each other. Only [`encode`] and
//! [`decode`] know the codec; no codec type appears in a public signature.

mod bounded;
mod codec;
mod error;
mod frame;
mod reader;

pub(crate) use codec::decode_seed;
pub use codec::{Codec, decode, encode, encode_frame};
pub use error::{DecodeError, EncodeError, FrameError};
pub use frame::{DEFAULT_MAX_FRAME, Frame, FrameKind, HEADER_LEN, LEN_PREFIX, write_frame};
pub use reader::FrameReader;
