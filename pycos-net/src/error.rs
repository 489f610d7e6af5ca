//! The crate-level error types that belong to no submodule.

use std::fmt;

/// A string that is not a [`Location`](crate::Location) (`ip:port`).
///
/// Returned by `Location`'s [`FromStr`](std::str::FromStr); the message
/// quotes the input and says what form was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLocationError {
    input: String,
}

impl ParseLocationError {
    pub(crate) fn new(input: &str) -> Self {
        // Quote at most a short prefix: the input may come from anywhere.
        let input: String = input.chars().take(64).collect();
        Self { input }
    }

    /// The rejected input (at most its first 64 characters).
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ParseLocationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid location {:?}: expected `ip:port`, such as `127.0.0.1:9705` or `[::1]:9705`",
            self.input
        )
    }
}

impl std::error::Error for ParseLocationError {}
