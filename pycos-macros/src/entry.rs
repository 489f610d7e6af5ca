//! `#[pycos::main]` and `#[pycos::test]`: entry points that run user code on
//! a scheduler and wait for its tasks.
//!
//! `main` stays a plain function whose body runs in `run_main`, which
//! installs the stderr logger, then waits for the non-daemon tasks and
//! turns `main`'s result into the exit code, printing an error with its
//! sources (`__private::report` picks how, by autoref on the concrete error
//! type, which is why that part is generated here). A test is a task: its function is expanded
//! exactly as `#[task]` does (as a hidden `__pycos_test` inside the test)
//! and `run_test` runs the spec on a fresh scheduler.

use crate::diag::Errors;
use crate::options::{Opt, Options};
use crate::task::{self, TaskFn, parse::Ret};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{AttrStyle, ItemFn, ReturnType, Type};

/// Expands `#[pycos::main(attr)] item`.
pub(crate) fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let options = Options::parse(attr, "#[pycos::main]", &[Opt::Log, Opt::Crate], &mut errors);
    let item = match task::parse::item_fn(item.clone(), "#[pycos::main]") {
        Ok(item) => item,
        Err(error) => {
            errors.push(error);
            return task::fail(item, errors);
        }
    };
    check_main(&item, &mut errors);
    if !errors.is_empty() {
        // Re-emitted without `async`, so rustc does not add its own error.
        let mut item = item;
        item.sig.asyncness = None;
        return task::fail(item, errors);
    }
    let krate = options.krate();
    let (inner_attrs, attrs): (Vec<_>, Vec<_>) = item
        .attrs
        .into_iter()
        .partition(|attr| matches!(attr.style, AttrStyle::Inner(_)));
    let (vis, sig, block) = (item.vis, item.sig, item.block);
    // An explicit closure return type lets `?` convert errors in the body.
    let ret = match &sig.output {
        ReturnType::Type(arrow, ty) => quote!(#arrow #ty),
        ReturnType::Default => quote!(),
    };
    let log = options.log;
    quote! {
        #(#attrs)*
        #vis #sig {
            #(#inner_attrs)*
            #krate::__private::run_main(#log, move || #ret #block, |__pycos_err| {
                use #krate::__private::report::{
                    ByDebug as _, ByDisplay as _, ByDynError as _, ByError as _,
                };
                (&&&#krate::__private::report::Report(__pycos_err)).pycos_report()
            })
        }
    }
}

fn check_main(item: &ItemFn, errors: &mut Errors) {
    let sig = &item.sig;
    if let Some(token) = &sig.asyncness {
        errors.spanned(
            token,
            "pycos' main is a plain fn; spawn tasks with `Task::new`",
        );
    }
    if !sig.inputs.is_empty() {
        errors.spanned(&sig.inputs, "#[pycos::main] takes no arguments");
    }
    if !sig.generics.params.is_empty() {
        errors.spanned(&sig.generics, "#[pycos::main] cannot be generic");
    }
}

/// Expands `#[pycos::test(attr)] item`.
pub(crate) fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let valid = [Opt::VirtualClock, Opt::Crate];
    let options = Options::parse(attr, "#[pycos::test]", &valid, &mut errors);
    let item = match task::parse::item_fn(item.clone(), "#[pycos::test]") {
        Ok(item) => item,
        Err(error) => {
            errors.push(error);
            return task::fail(item, errors);
        }
    };
    let task = TaskFn::new(item);
    check_test(&task, &mut errors);
    if !errors.is_empty() {
        // The signature checks of #[task] would only repeat these.
        task::misuse::body(&task, &mut errors);
        return task::fail(task.as_async_item(), errors);
    }
    let (krate, virtual_clock) = (options.krate(), options.virtual_clock);
    let (attrs, vis, ident) = (&task.attrs, &task.vis, &task.sig.ident);
    let spec_fn = task::generate(&hidden(&task), &krate, errors);
    quote! {
        #(#attrs)*
        #[::core::prelude::v1::test]
        #vis fn #ident() {
            #spec_fn
            #krate::__private::run_test(#virtual_clock, __pycos_test)
        }
    }
}

/// The test's task as the hidden `fn __pycos_test() -> TaskSpec<R>`; it
/// keeps the test's name as the task's name, and its lint levels.
fn hidden(test: &TaskFn) -> TaskFn {
    let mut task = test.clone();
    task.sig.ident = format_ident!("__pycos_test", span = test.sig.ident.span());
    task.vis = syn::Visibility::Inherited;
    task.attrs.retain(task::expand::is_lint);
    task
}

fn check_test(test: &TaskFn, errors: &mut Errors) {
    for arg in test.args() {
        errors.spanned(
            &arg.pat,
            "#[pycos::test] functions take no arguments but the injected `task: TaskCtx`",
        );
    }
    let generics = &test.sig.generics;
    if !generics.params.is_empty() || generics.where_clause.is_some() {
        errors.spanned(generics, "#[pycos::test] functions cannot be generic");
    }
    if let Ret::Plain(ty) = &test.ret
        && !matches!(&**ty, Type::Tuple(t) if t.elems.is_empty())
    {
        errors.spanned(
            ty,
            "#[pycos::test] functions return `()` or `Result<(), E>`",
        );
    }
    for attr in &test.attrs {
        if attr.path().is_ident("test") {
            errors.spanned(attr, "#[pycos::test] already adds #[test]; remove this one");
        }
    }
}
