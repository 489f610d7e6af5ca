//! Compile-pass and compile-fail cases for pycos' macros and types.
//!
//! Every file under `tests/ui/` is a small program that trybuild builds as a
//! crate of its own, depending on `pycos`:
//!
//! - `tests/ui/pass/<area>/*.rs` must compile, and are then run (they
//!   return quickly);
//! - `tests/ui/fail/<area>/*.rs` must fail to compile with exactly the
//!   diagnostics in the `.stderr` file next to them. Each holds one mistake,
//!   so each snapshot shows the one message a user would see.
//!
//! After changing a message, review the differences trybuild prints, then
//! regenerate the snapshots with:
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p ui-tests
//! ```
//!
//! The `.stderr` snapshots are pinned to the project's one toolchain,
//! rustc 1.95: another compiler words and places diagnostics differently,
//! so run these tests with that toolchain only.
//!
//! Cases using `#[pycos::test]` are built as binaries, not test harnesses,
//! so the `#[test]` functions the macro generates are not compiled: those
//! cases check what the macro itself accepts and rejects.

/// `#[task]`: signatures, bodies, and the misuse it reports.
#[test]
fn task() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/task/*.rs");
    t.compile_fail("tests/ui/fail/task/*.rs");
}

/// `#[pycos::main]`.
#[test]
fn main() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/main/*.rs");
    t.compile_fail("tests/ui/fail/main/*.rs");
}

/// `#[pycos::test]`.
#[test]
fn test() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/test/*.rs");
    t.compile_fail("tests/ui/fail/test/*.rs");
}

/// Misuse caught by the types alone, outside the macros.
#[test]
fn types() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/types/*.rs");
}

/// Macro output compiled under strict lints (thiserror's `test_lints.rs`).
#[test]
fn lints() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/lints/*.rs");
}

/// `#[derive(Message)]`.
#[test]
fn message() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/message/*.rs");
    t.compile_fail("tests/ui/fail/message/*.rs");
}

/// `#[task(remote)]`.
#[test]
fn rps() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/rps/*.rs");
    t.compile_fail("tests/ui/fail/rps/*.rs");
}
