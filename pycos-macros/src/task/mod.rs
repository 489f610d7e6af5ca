//! `#[task]`: a function whose `.await`s are yield points becomes a function
//! returning the task's spec.
//!
//! Pipeline: [`parse`] splits the function into injected context, arguments
//! and result; [`check`] validates the signature and [`misuse`] the body;
//! [`rewrite`] marks the interruption points; [`mod@expand`] generates the code.
//! `#[pycos::test]` reuses all of it through [`TaskFn`] and [`generate`].

pub(crate) mod check;
pub(crate) mod expand;
pub(crate) mod misuse;
pub(crate) mod parse;
pub(crate) mod remote;
pub(crate) mod rewrite;

use crate::diag::{self, Errors};
use crate::options::{Opt, Options};
pub(crate) use parse::TaskFn;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Path;

/// Expands `#[task(attr)] item`.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let valid = [Opt::Local, Opt::Remote, Opt::Name, Opt::Manual, Opt::Crate];
    let options = Options::parse(attr, "#[task]", &valid, &mut errors);
    match parse::item_fn(item.clone(), "#[task]") {
        Ok(item) => {
            let mut task = TaskFn::new(item);
            task.local = options.local;
            task.remote = remote::options(&options, &mut errors);
            generate(&task, &options.krate(), errors)
        }
        Err(error) => {
            errors.push(error);
            fail(item, errors)
        }
    }
}

/// Checks `task` and generates it, adding to the errors found so far.
///
/// With a broken signature the result is the function as written (made
/// `async`) plus the errors. With only body errors it is the full expansion
/// plus the errors, so calls of the task elsewhere still type-check and the
/// errors are not repeated by rustc.
pub(crate) fn generate(task: &TaskFn, krate: &Path, mut errors: Errors) -> TokenStream {
    check::signature(task, &mut errors);
    remote::check(task, &mut errors);
    let signature_ok = errors.is_empty();
    misuse::body(task, &mut errors);
    if !signature_ok {
        return fail(task.as_async_item(), errors);
    }
    let mut tokens = expand::task_fn(task, krate);
    if let Some(options) = &task.remote {
        tokens.extend(remote::expand(task, options, krate));
    }
    match errors.finish() {
        Ok(()) => tokens,
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#tokens #error)
        }
    }
}

/// `item` and the errors (there is at least one).
pub(crate) fn fail(item: impl ToTokens, errors: Errors) -> TokenStream {
    match errors.finish() {
        Ok(()) => item.into_token_stream(),
        Err(error) => diag::fallback(item, &error),
    }
}

impl TaskFn {
    /// The function as written, but `async` (and without the qualifiers
    /// already reported) so that the errors are not repeated by rustc.
    pub(crate) fn as_async_item(&self) -> TokenStream {
        let TaskFn {
            attrs,
            inner_attrs,
            vis,
            body,
            ..
        } = self;
        let mut sig = self.sig.clone();
        sig.asyncness.get_or_insert_with(Default::default);
        (sig.constness, sig.abi, sig.variadic) = (None, None, None);
        let stmts = &body.stmts;
        quote!(#(#attrs)* #vis #sig { #(#inner_attrs)* #(#stmts)* })
    }
}
