//! Printing the error a `#[pycos::main]` function returns: its `Display`
//! text and its `source()` chain, one cause a line, instead of std's
//! `Error: Debug`.
//!
//! `main`'s error type is concrete where the macro expands, so the best
//! available rendering is picked there by autoref specialization: the
//! generated code calls `(&&&Report(&err)).pycos_report()`, and method
//! lookup takes the first of these that applies —
//!
//! 1. `E: Error`: the text and its sources;
//! 2. `Box<dyn Error (+ Send) (+ Sync)>`, which is not itself an `Error`:
//!    the same through the box;
//! 3. `E: Display`: the text;
//! 4. `E: Debug`: what std would print.

use std::error::Error;
use std::fmt::{Debug, Display};

/// `main`'s error, borrowed for reporting.
#[derive(Debug)]
pub struct Report<'a, E>(pub &'a E);

impl<E> Clone for Report<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Report<'_, E> {}

/// `err` and its sources: `text\n  caused by: source\n  caused by: ...`.
pub fn chain(err: &(dyn Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str("\n  caused by: ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Level 1: an `Error`.
pub trait ByError {
    /// The report text.
    fn pycos_report(self) -> String;
}

impl<E: Error + 'static> ByError for &&&Report<'_, E> {
    fn pycos_report(self) -> String {
        chain(self.0)
    }
}

/// A boxed error trait object (`Box<dyn Error>` is not an `Error` itself).
pub trait DynError {
    /// The boxed error.
    fn as_dyn(&self) -> &(dyn Error + 'static);
}

impl DynError for Box<dyn Error> {
    fn as_dyn(&self) -> &(dyn Error + 'static) {
        &**self
    }
}

impl DynError for Box<dyn Error + Send> {
    fn as_dyn(&self) -> &(dyn Error + 'static) {
        &**self
    }
}

impl DynError for Box<dyn Error + Send + Sync> {
    fn as_dyn(&self) -> &(dyn Error + 'static) {
        &**self
    }
}

/// Level 2: a boxed error.
pub trait ByDynError {
    /// The report text.
    fn pycos_report(self) -> String;
}

impl<E: DynError> ByDynError for &&Report<'_, E> {
    fn pycos_report(self) -> String {
        chain(self.0.as_dyn())
    }
}

/// Level 3: anything printable.
pub trait ByDisplay {
    /// The report text.
    fn pycos_report(self) -> String;
}

impl<E: Display> ByDisplay for &Report<'_, E> {
    fn pycos_report(self) -> String {
        self.0.to_string()
    }
}

/// Level 4: what std's `Termination` would print.
pub trait ByDebug {
    /// The report text.
    fn pycos_report(self) -> String;
}

impl<E: Debug> ByDebug for Report<'_, E> {
    fn pycos_report(self) -> String {
        format!("{:?}", self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::needless_borrow)]

    use super::{ByDebug as _, ByDisplay as _, ByDynError as _, ByError as _, Report};
    use std::error::Error;
    use std::fmt;
    use std::io;

    #[derive(Debug)]
    struct Connect(io::Error);

    impl fmt::Display for Connect {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("cannot connect to 127.0.0.1:9000")
        }
    }

    impl Error for Connect {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    fn refused() -> Connect {
        Connect(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "Connection refused",
        ))
    }

    const CHAIN: &str = "cannot connect to 127.0.0.1:9000\n  caused by: Connection refused";

    #[test]
    fn an_error_prints_its_sources() {
        assert_eq!((&&&Report(&refused())).pycos_report(), CHAIN);
    }

    #[test]
    fn a_boxed_error_prints_its_sources() {
        let boxed: Box<dyn Error + Send + Sync> = Box::new(refused());
        assert_eq!((&&&Report(&boxed)).pycos_report(), CHAIN);
        let boxed: Box<dyn Error> = Box::new(refused());
        assert_eq!((&&&Report(&boxed)).pycos_report(), CHAIN);
    }

    #[test]
    fn display_then_debug_otherwise() {
        assert_eq!((&&&Report(&"plain text")).pycos_report(), "plain text");
        #[derive(Debug)]
        struct Opaque;
        assert_eq!((&&&Report(&Opaque)).pycos_report(), "Opaque");
    }
}
