//! Links: the one authenticated TCP connection per peer pair.
//!
//! - [`dial`] connects to a peer (retrying with backoff; Offline after
//!   `max_connection_errors` failures in a row), [`accept`] takes peers'
//!   connections;
//! - [`conn`] runs the handshake on a new connection, then one reader (the
//!   connecting task itself) and one writer task: the writer sends the
//!   peer's [`outbox`](outbox::Outbox), a tick after silence; the reader
//!   hands every frame to `node::serve` and closes the link after the
//!   message timeout of silence. When both nodes dial at once, both keep
//!   the link the node with the lower incarnation dialed; the other is
//!   closed for writing, and read until the peer closes it too, so what
//!   was sent on it before the peer knew is still served;
//! - [`notify`] is how a sender on any thread wakes the writer.

pub(crate) mod accept;
pub(crate) mod conn;
pub(crate) mod dial;
pub(crate) mod notify;
pub(crate) mod outbox;
