//! `Oops`, the error the interrupt tests throw into tasks
//! (`#[path = "support/oops.rs"] mod oops;`).

/// An error with nothing in it but its text, `oops`.
#[derive(Debug)]
pub(crate) struct Oops;

impl std::fmt::Display for Oops {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("oops")
    }
}

impl std::error::Error for Oops {}
