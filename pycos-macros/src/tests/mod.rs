//! Unit tests of the expansions: a proc-macro crate cannot call its own
//! macros, so these call the `TokenStream` → `TokenStream` functions behind
//! them and snapshot the pretty-printed output (`INSTA_UPDATE=always` or
//! `cargo insta review` to accept changes).

mod errors;
mod expand;
mod render;
mod support;
