//! Stands in for `tls` without the `tls` feature: the same names, and a
//! session type with no values, so a socket never has a session, the
//! stream steps compile unchanged and their TLS branches are dead code the
//! compiler removes.

use std::io;
use std::os::fd::BorrowedFd;

use crate::io::wait::Step;

/// A TLS session, of which there are none.
#[derive(Debug)]
pub(super) enum Session {}

/// A socket's TLS state: always none.
#[derive(Debug, Default)]
pub(super) struct TlsState {
    _none: (),
}

impl TlsState {
    pub(super) fn session(&self) -> Option<&Session> {
        None
    }

    pub(super) fn is_active(&self) -> bool {
        false
    }

    pub(super) fn fail(&self, _err: &io::Error) {}

    pub(super) fn failure(&self) -> Option<io::Error> {
        None
    }
}

pub(super) fn exporter(session: &Session, _label: &[u8]) -> Option<[u8; 32]> {
    match *session {}
}

pub(super) fn is_handshaking(session: &Session) -> bool {
    match *session {}
}

pub(super) fn handshake(session: &Session, _fd: BorrowedFd<'_>) -> Step<()> {
    match *session {}
}

pub(super) fn read(session: &Session, _fd: BorrowedFd<'_>, _buf: &mut [u8]) -> Step<usize> {
    match *session {}
}

pub(super) fn write(session: &Session, _fd: BorrowedFd<'_>, _buf: &[u8]) -> Step<usize> {
    match *session {}
}

pub(super) fn flush(session: &Session, _fd: BorrowedFd<'_>) -> Step<()> {
    match *session {}
}

pub(super) fn close_notify(session: &Session) {
    match *session {}
}
