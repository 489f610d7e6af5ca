//! Table checks for the error types' reasons
//! (`#[path = "support/reasons.rs"] mod reasons;`): each case answers `true`
//! to its own `is_*` query only and displays its text; a send error also
//! hands back exactly the message that was not sent.
#![allow(dead_code, reason = "each test file uses a subset")]

use std::fmt::{Debug, Display};

use pycos::{Msg, SendTarget, Undelivered};

/// `N` answers, all `false` but the one at `at`.
pub(crate) fn one_hot<const N: usize>(at: usize) -> [bool; N] {
    let mut answers = [false; N];
    answers[at] = true;
    answers
}

/// `err`, the case of the reason at `at`, gave `answers` to the queries:
/// only the one at `at` is `true`, and `err` displays `text`.
pub(crate) fn check_reason<E: Debug + Display, const N: usize>(
    err: &E,
    answers: [bool; N],
    at: usize,
    text: &str,
) {
    assert_eq!(answers, one_hot(at), "{err:?}");
    assert_eq!(err.to_string(), text);
}

/// Case `at` of `cases` is the reason that `queries` answers at `at`.
pub(crate) fn check_reasons<E: Debug + Display, const N: usize>(
    cases: impl IntoIterator<Item = (E, &'static str)>,
    queries: impl Fn(&E) -> [bool; N],
) {
    for (at, (err, text)) in cases.into_iter().enumerate() {
        check_reason(&err, queries(&err), at, text);
    }
}

/// A send error's case: how to make it from its message, and its text.
pub(crate) type SendCase<K> = (fn(Msg) -> Undelivered<K>, &'static str);

/// Case `at` of `cases` makes, from a `7_u32`, the send error that
/// `queries` answers at `at`; the error holds and hands back that very
/// message.
pub(crate) fn check_send_reasons<K: SendTarget>(
    cases: [SendCase<K>; 5],
    queries: fn(&Undelivered<K>) -> [bool; 5],
) {
    for (at, (make, text)) in cases.into_iter().enumerate() {
        let msg = Msg::new(7_u32);
        let err = make(msg.clone());
        check_reason(&err, queries(&err), at, text);
        assert!(err.message().ptr_eq(&msg));
        let back = err.into_inner();
        assert!(back.ptr_eq(&msg), "exactly the message sent comes back");
        assert_eq!(back.downcast_ref::<u32>(), Some(&7));
    }
}
