//! Socket errors. Operations return [`io::Error`](std::io::Error); these
//! types ride inside it (reach them with `get_ref()`/`into_inner()` and
//! `downcast`) when the kind alone does not say enough.

use std::fmt;

/// A `recv_msg` length prefix above the socket's maximum (kind
/// `InvalidData`). Nothing of the payload is read or allocated; the
/// connection is out of step and should be closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameTooLarge {
    /// The length the peer announced.
    pub len: u64,
    /// The socket's [`max_msg_size`](crate::io::AsyncSocket::max_msg_size).
    pub max: usize,
}

impl fmt::Display for FrameTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "message of {} bytes exceeds the limit of {} bytes",
            self.len, self.max
        )
    }
}

impl std::error::Error for FrameTooLarge {}

/// The peer closed the connection in the middle of a `recv_msg` frame
/// (kind `UnexpectedEof`). The bytes that did arrive are kept here rather
/// than lost (pycos returns `b''`, §15.13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruncatedFrame {
    /// Bytes of the frame received: part of the 4-byte length prefix, or
    /// part of the payload.
    pub partial: Vec<u8>,
    /// Bytes the frame's part should have had (4 for the prefix, else the
    /// payload length).
    pub expected: usize,
    /// Whether the prefix was complete (`partial` is then payload).
    pub in_payload: bool,
}

impl fmt::Display for TruncatedFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = if self.in_payload {
            "payload"
        } else {
            "length prefix"
        };
        write!(
            f,
            "connection closed after {} of {} bytes of a message {part}",
            self.partial.len(),
            self.expected
        )
    }
}

impl std::error::Error for TruncatedFrame {}

/// TLS failed: bad settings or files ([`is_config`](TlsError::is_config)),
/// or the peer failed the handshake or broke the protocol (inside an
/// `io::Error` of kind `InvalidData`).
#[cfg(feature = "tls")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsError {
    message: String,
    config: bool,
}

#[cfg(feature = "tls")]
impl TlsError {
    pub(super) fn config(message: String) -> TlsError {
        TlsError {
            message,
            config: true,
        }
    }

    pub(super) fn bad_config(err: rustls::Error) -> TlsError {
        TlsError::config(err.to_string())
    }

    pub(super) fn from_rustls(err: rustls::Error) -> TlsError {
        TlsError {
            message: err.to_string(),
            config: false,
        }
    }

    /// What operations after a failed handshake report.
    pub(super) fn from_handshake(err: &std::io::Error) -> TlsError {
        let cause = err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<TlsError>())
            .map_or_else(|| err.to_string(), |tls| tls.message.clone());
        TlsError {
            message: format!("the handshake failed earlier: {cause}"),
            config: false,
        }
    }

    /// Whether the settings were at fault (unreadable file, no certificate,
    /// key not matching), rather than the peer.
    pub fn is_config(&self) -> bool {
        self.config
    }
}

#[cfg(feature = "tls")]
impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TLS: {}", self.message)
    }
}

#[cfg(feature = "tls")]
impl std::error::Error for TlsError {}
