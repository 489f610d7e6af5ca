//! `Handshake`: the state machine one side of a link runs.
//!
//! ```text
//! new ──(our Hello out)──> AwaitHello ──peer Hello──(our Auth out)──> AwaitAuth
//!                               │                                         │
//!                               │                              peer Auth verifies
//!                               │                                         v
//!                               └──────── any error ──> Failed          Done
//! ```
//!
//! A frame in `Done` or `Failed` is [`Unexpected`](HandshakeError::Unexpected):
//! after `Done` the link owns the stream.

use std::fmt;

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

use super::PROTOCOL_VERSION;
use super::error::HandshakeError;
use super::fixed;
use super::hello::{Hello, NONCE_LEN};
use super::proof::{self, EXPORTER_LEN, TAG_LEN};
use super::refusal;
use crate::Location;
use crate::wire::{Codec, FrameKind, HEADER_LEN};

/// What a node says about itself in its Hello, and how it proves the
/// secret.
#[derive(Clone)]
pub struct HandshakeConfig {
    /// The node's name (at most 64 bytes of UTF-8).
    pub name: String,
    /// The node's incarnation: random per start, so a restarted node is a
    /// new peer and a node that dials itself notices.
    pub incarnation: u64,
    /// Where the node listens, as its peers should dial it (the advertised
    /// address behind NAT).
    pub location: Location,
    /// The shared secret; `None`: no authentication (both sides must agree).
    pub secret: Option<Vec<u8>>,
    /// 32 bytes of TLS keying material exported from the link's TLS session
    /// (both sides must export the same label), binding the proof to that
    /// session; `None` without TLS.
    pub tls_exporter: Option<[u8; 32]>,
}

impl fmt::Debug for HandshakeConfig {
    /// Never prints the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandshakeConfig")
            .field("name", &self.name)
            .field("incarnation", &self.incarnation)
            .field("location", &self.location)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("tls_exporter", &self.tls_exporter.is_some())
            .finish()
    }
}

/// Which end of the connection a side is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The side that connected.
    Dialer,
    /// The side that accepted.
    Listener,
}

impl Role {
    fn peer(self) -> Role {
        match self {
            Role::Dialer => Role::Listener,
            Role::Listener => Role::Dialer,
        }
    }
}

/// What the peer said about itself, authenticated once the handshake is
/// [`Done`](Step::Done).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerHello {
    /// The peer's name.
    pub name: String,
    /// The peer's incarnation.
    pub incarnation: u64,
    /// Where the peer says it listens.
    pub location: Location,
    /// The peer's protocol version.
    pub version: u16,
}

/// What to do after a frame was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Send these frame bytes (prefix, kind and body), then wait for the
    /// next frame.
    Send(Vec<u8>),
    /// The handshake is complete and the peer proved the secret; nothing
    /// more to send.
    Done(PeerHello),
}

enum State {
    AwaitHello,
    AwaitAuth {
        peer: PeerHello,
        transcript: Vec<u8>,
    },
    Done,
    Failed,
}

/// One side of a handshake.
///
/// # Examples
///
/// Two sides driven in memory:
///
/// ```
/// use pycos_net::Location;
/// use pycos_net::handshake::{Handshake, HandshakeConfig, Role, Step};
/// use pycos_net::wire::{FrameReader, DEFAULT_MAX_FRAME};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let config = |name: &str, incarnation| HandshakeConfig {
///     name: name.into(),
///     incarnation,
///     location: "127.0.0.1:9705".parse::<Location>().unwrap(),
///     secret: Some(b"a long random token".to_vec()),
///     tls_exporter: None,
/// };
/// let (mut a, hello_a) = Handshake::new(Role::Dialer, &config("a", 1))?;
/// let (mut b, hello_b) = Handshake::new(Role::Listener, &config("b", 2))?;
///
/// // Feeds one side the frames in `bytes`; what it answers.
/// let feed = |side: &mut Handshake, bytes: &[u8]| -> Result<Step, Box<dyn std::error::Error>> {
///     let mut reader = FrameReader::new(DEFAULT_MAX_FRAME);
///     reader.push(bytes);
///     let frame = reader.next_frame()?.ok_or("no frame")?;
///     Ok(side.on_frame(frame.kind(), frame.body())?)
/// };
/// let Step::Send(auth_a) = feed(&mut a, &hello_b)? else { panic!() };
/// let Step::Send(auth_b) = feed(&mut b, &hello_a)? else { panic!() };
/// let Step::Done(b_seen_by_a) = feed(&mut a, &auth_b)? else { panic!() };
/// let Step::Done(a_seen_by_b) = feed(&mut b, &auth_a)? else { panic!() };
/// assert_eq!((b_seen_by_a.name.as_str(), a_seen_by_b.incarnation), ("b", 1));
/// # Ok(())
/// # }
/// ```
pub struct Handshake {
    role: Role,
    version: u16,
    codec: Codec,
    incarnation: u64,
    key: hmac::Key,
    exporter: [u8; EXPORTER_LEN],
    our_hello: Vec<u8>,
    state: State,
}

impl fmt::Debug for Handshake {
    /// Shows the role and the state, never the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::AwaitHello => "awaiting hello",
            State::AwaitAuth { .. } => "awaiting auth",
            State::Done => "done",
            State::Failed => "failed",
        };
        f.debug_struct("Handshake")
            .field("role", &self.role)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

impl Handshake {
    /// Starts a handshake in `role`; the Hello frame bytes to send first.
    ///
    /// # Errors
    ///
    /// [`Config`](HandshakeError::Config) for a name over 64 bytes,
    /// [`Random`](HandshakeError::Random) when the system random source
    /// fails to give a nonce.
    pub fn new(role: Role, cfg: &HandshakeConfig) -> Result<(Handshake, Vec<u8>), HandshakeError> {
        Self::with_wire(role, cfg, PROTOCOL_VERSION, Codec::ACTIVE)
    }

    /// As [`new`](Self::new), claiming another protocol version and codec:
    /// for tests of mismatches only.
    #[doc(hidden)]
    pub fn with_wire(
        role: Role,
        cfg: &HandshakeConfig,
        version: u16,
        codec: Codec,
    ) -> Result<(Handshake, Vec<u8>), HandshakeError> {
        fixed::check_name(&cfg.name).map_err(HandshakeError::Config)?;
        let mut nonce = [0; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| HandshakeError::Random)?;
        let our_hello = Hello {
            version,
            codec: codec.byte(),
            incarnation: cfg.incarnation,
            nonce,
            location: cfg.location,
            name: cfg.name.clone(),
        }
        .encode();
        let frame = frame(FrameKind::Hello, &our_hello);
        let machine = Handshake {
            role,
            version,
            codec,
            incarnation: cfg.incarnation,
            key: proof::key(cfg.secret.as_deref()),
            exporter: cfg.tls_exporter.unwrap_or([0; EXPORTER_LEN]),
            our_hello,
            state: State::AwaitHello,
        };
        Ok((machine, frame))
    }

    /// The side's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The peer's hello, once it arrived (before the peer is proven):
    /// what a node decides by before it sends its own proof, such as
    /// whether it takes peers it did not add.
    pub fn peer(&self) -> Option<&PeerHello> {
        match &self.state {
            State::AwaitAuth { peer, .. } => Some(peer),
            _ => None,
        }
    }

    /// Whether the handshake completed.
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// Takes one received frame; what to send next, or that the peer is
    /// authenticated.
    ///
    /// # Errors
    ///
    /// A [`HandshakeError`]; the machine is then failed and refuses every
    /// further frame. Send the error's
    /// [`refusal_frame`](HandshakeError::refusal_frame), if any, and close
    /// the link.
    pub fn on_frame(&mut self, kind: FrameKind, body: &[u8]) -> Result<Step, HandshakeError> {
        let state = std::mem::replace(&mut self.state, State::Failed);
        let (next, step) = self.transition(state, kind, body)?;
        self.state = next;
        Ok(step)
    }

    fn transition(
        &self,
        state: State,
        kind: FrameKind,
        body: &[u8],
    ) -> Result<(State, Step), HandshakeError> {
        match (state, kind) {
            (State::AwaitHello | State::AwaitAuth { .. }, FrameKind::Close) => {
                Err(refusal::decode(body, self.version, self.codec))
            }
            (State::AwaitHello, FrameKind::Hello) => self.on_hello(body),
            (State::AwaitAuth { peer, transcript }, FrameKind::Auth) => {
                if body.len() != TAG_LEN {
                    return Err(HandshakeError::Malformed("auth is not a 32-byte tag"));
                }
                if !proof::verify(&self.key, self.role.peer(), &transcript, body) {
                    return Err(HandshakeError::Secret);
                }
                Ok((State::Done, Step::Done(peer)))
            }
            (_, kind) => Err(HandshakeError::Unexpected(kind)),
        }
    }

    fn on_hello(&self, body: &[u8]) -> Result<(State, Step), HandshakeError> {
        let hello = Hello::parse(body, self.version, self.codec)?;
        if hello.incarnation == self.incarnation {
            return Err(HandshakeError::SelfConnect);
        }
        let (dialer, listener) = match self.role {
            Role::Dialer => (&self.our_hello[..], body),
            Role::Listener => (body, &self.our_hello[..]),
        };
        let transcript = proof::transcript(dialer, listener, &self.exporter);
        let tag = proof::sign(&self.key, self.role, &transcript);
        let peer = PeerHello {
            name: hello.name,
            incarnation: hello.incarnation,
            location: hello.location,
            version: hello.version,
        };
        let auth = frame(FrameKind::Auth, tag.as_ref());
        Ok((State::AwaitAuth { peer, transcript }, Step::Send(auth)))
    }
}

impl HandshakeError {
    /// The Close frame (bytes to send) that tells the peer why this node
    /// refuses it, naming this node's value where the two differ; `None` for
    /// an error that is not about the peer (it refused us, or this node's
    /// own configuration).
    pub fn refusal_frame(&self) -> Option<Vec<u8>> {
        refusal::encode(self).map(|body| frame(FrameKind::Close, &body))
    }
}

/// One frame's bytes. Handshake bodies are a few hundred bytes at most,
/// far below the 4-byte length's range.
fn frame(kind: FrameKind, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&(body.len() as u32 + 1).to_be_bytes());
    out.push(kind.byte());
    out.extend_from_slice(body);
    out
}
