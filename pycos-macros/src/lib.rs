//! Procedural macros of [pycos]: `#[task]`, `#[pycos::main]`, `#[pycos::test]`
//! and `#[derive(Message)]`.
//!
//! Use them through the `pycos` crate, which re-exports them; this crate is an
//! implementation detail and its generated code only calls `::pycos::…`.
//!
//! Each macro is parse → validate → expand in its own module: `task` for
//! `#[task]`, `entry` for `#[pycos::main]` and `#[pycos::test]`, `message` for
//! `#[derive(Message)]`. Every
//! problem is reported as a spanned `compile_error!` next to a best-effort
//! expansion, so editors keep working on the item.
//!
//! [pycos]: https://docs.rs/pycos

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod diag;
mod entry;
mod message;
mod options;
mod render;
mod task;

#[cfg(test)]
mod tests;

#[doc = include_str!("docs/task.md")]
#[proc_macro_attribute]
pub fn task(attr: TokenStream, item: TokenStream) -> TokenStream {
    task::expand(attr.into(), item.into()).into()
}

#[doc = include_str!("docs/main.md")]
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::main(attr.into(), item.into()).into()
}

#[doc = include_str!("docs/test.md")]
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::test(attr.into(), item.into()).into()
}

#[doc = include_str!("docs/message.md")]
#[proc_macro_derive(Message, attributes(message))]
pub fn derive_message(item: TokenStream) -> TokenStream {
    message::derive(item.into()).into()
}
