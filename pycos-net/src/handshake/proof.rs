//! The proof of the shared secret: an HMAC-SHA256 tag over a direction
//! label and the transcript.
//!
//! ```text
//! transcript = dialer Hello body || listener Hello body || exporter
//! tag        = HMAC-SHA256(secret, label(sender's role) || transcript)
//! ```
//!
//! `exporter` is 32 bytes of TLS keying material when the link runs over
//! TLS, else 32 zero bytes. Each Hello carries a fresh nonce, so a tag is
//! good for one connection only (a recorded session replays into a
//! transcript with a new nonce); the labels differ by role, so a tag sent
//! back to its sender (reflection) does not verify; only tags cross the
//! wire, never the secret. With no secret the key is empty: the same code
//! runs, and the proof then shows only that both sides saw the same
//! transcript.
//!
//! Anyone who completes a TCP connection sees one tag and can try to guess
//! the secret offline, as with any HMAC challenge: the secret must be
//! high-entropy (a random token, not a word).

use ring::hmac;

use super::Role;

/// Bytes of a tag (the Auth body).
pub(crate) const TAG_LEN: usize = 32;

/// Bytes of the TLS exporter slot.
pub(crate) const EXPORTER_LEN: usize = 32;

const DIALER_LABEL: &[u8] = b"pycos-rs dialer proof v1";
const LISTENER_LABEL: &[u8] = b"pycos-rs listener proof v1";

fn label(sender: Role) -> &'static [u8] {
    match sender {
        Role::Dialer => DIALER_LABEL,
        Role::Listener => LISTENER_LABEL,
    }
}

/// The key for `secret` (none: the empty key).
pub(crate) fn key(secret: Option<&[u8]>) -> hmac::Key {
    hmac::Key::new(hmac::HMAC_SHA256, secret.unwrap_or_default())
}

/// The transcript both sides prove.
pub(crate) fn transcript(dialer: &[u8], listener: &[u8], exporter: &[u8; EXPORTER_LEN]) -> Vec<u8> {
    let mut out = Vec::with_capacity(dialer.len() + listener.len() + EXPORTER_LEN);
    out.extend_from_slice(dialer);
    out.extend_from_slice(listener);
    out.extend_from_slice(exporter);
    out
}

fn signed(sender: Role, transcript: &[u8]) -> Vec<u8> {
    let label = label(sender);
    let mut data = Vec::with_capacity(label.len() + transcript.len());
    data.extend_from_slice(label);
    data.extend_from_slice(transcript);
    data
}

/// The tag a node in role `sender` sends.
pub(crate) fn sign(key: &hmac::Key, sender: Role, transcript: &[u8]) -> hmac::Tag {
    hmac::sign(key, &signed(sender, transcript))
}

/// Whether `tag` is the one a node in role `sender` must send, compared in
/// constant time.
pub(crate) fn verify(key: &hmac::Key, sender: Role, transcript: &[u8], tag: &[u8]) -> bool {
    hmac::verify(key, &signed(sender, transcript), tag).is_ok()
}
