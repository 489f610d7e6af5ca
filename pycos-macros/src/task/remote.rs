//! `#[task(remote)]`: the task function, plus what lets a peer create it
//! by name from serialized arguments.
//!
//! ```text
//! #[task(remote)]
//! fn compute(n: u64, task: TaskCtx) -> u64 { body }
//! ```
//! adds, beside the ordinary expansion of the function:
//! ```text
//! #[allow(non_camel_case_types, dead_code)]
//! fn-visibility struct compute {}
//! const _: () = {
//!     let _ = ::pycos::__private::assert_remote_arg::<u64>;    // per argument
//!     let _ = ::pycos::__private::assert_remote_output::<u64>;
//!     impl ::pycos::rps::RemoteFn for compute where <the same bounds> {
//!         type Args = (u64,);
//!         type Output = u64;
//!         const NAME: &str = concat!(env!("CARGO_CRATE_NAME"), "::", "compute");
//!         const SIGNATURE_TEXT: &str = "(u64) -> u64";
//!         const SIGNATURE: u64 = ::pycos::rps::signature_hash(Self::SIGNATURE_TEXT);
//!         fn spec(args: (u64,)) -> ::pycos::TaskSpec<u64> { let (a0,) = args; compute(a0) }
//!     }
//!     #[linkme::distributed_slice(::pycos::__private::REMOTE_FNS)]   // unless `manual`
//!     static __PYCOS_REMOTE_FN: ::pycos::rps::Entry = Entry::of::<compute>(file!(), line!());
//! };
//! ```
//! The struct lives in the type namespace and the function in the value
//! namespace, so both are `compute`: a client writes `Rps::<compute>` and
//! calls with the function's own argument types. The impl's bounds are
//! higher-ranked (as `#[derive(Message)]`'s) so that a type that cannot
//! cross the wire is reported by the readable `assert_*` errors, spanned
//! on the user's type, rather than only as an unsatisfied impl bound.

use super::expand::spec_type;
use super::parse::{Remote, Ret, TaskFn};
use crate::diag::Errors;
use crate::options::Options;
use crate::render::compact;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Path;
use syn::spanned::Spanned;

/// The remote options, checking that `name` and `manual` come with
/// `remote` and that `remote` does not come with `local`.
pub(crate) fn options(options: &Options, errors: &mut Errors) -> Option<Remote> {
    let Some(remote) = &options.remote else {
        if let Some(name) = &options.name {
            errors.spanned(
                name,
                "`name` is the name of a remote task function: write `#[task(remote, name = \"...\")]`",
            );
        }
        if let Some(manual) = &options.manual {
            errors.spanned(
                manual,
                "`manual` applies to remote task functions: write `#[task(remote, manual)]`",
            );
        }
        return None;
    };
    if options.local {
        errors.spanned(
            remote,
            "a task cannot be both `remote` and `local`: a remote task is created from arguments that crossed the wire, on any thread; remove `local`",
        );
    }
    Some(Remote {
        name: options.name.clone(),
        manual: options.manual.is_some(),
    })
}

/// A remote task function cannot be generic: peers create it by one name
/// and one signature.
pub(crate) fn check(task: &TaskFn, errors: &mut Errors) {
    if task.remote.is_none() {
        return;
    }
    let generics = &task.sig.generics;
    if !generics.params.is_empty() || generics.where_clause.is_some() {
        errors.spanned(
            generics,
            "a #[task(remote)] function cannot be generic: peers create it by one name and one signature; write a non-generic #[task(remote)] function for each instantiation you need",
        );
    }
}

/// The type named after the function, its `RemoteFn` impl and its
/// registration.
pub(crate) fn expand(task: &TaskFn, remote: &Remote, krate: &Path) -> TokenStream {
    let ident = &task.sig.ident;
    let vis = &task.vis;
    let arg_types: Vec<_> = task.args().map(|arg| &*arg.pat.ty).collect();
    let output = spec_type(&task.ret, krate);
    let name = match &remote.name {
        Some(lit) => quote!(#lit),
        None => {
            let fn_name = ident.to_string();
            quote!(::core::concat!(::core::env!("CARGO_CRATE_NAME"), "::", #fn_name))
        }
    };
    let text = signature_text(task);
    let doc = format!(
        "The remote task function `{ident}` (`#[task(remote)]`): name this type to create it on another node (pycos-net's `Rps::<{ident}>`)."
    );
    let asserts = asserts(task, krate);
    let bindings: Vec<_> = (0..arg_types.len())
        .map(|i| format_ident!("__pycos_arg{}", i))
        .collect();
    let registration = (!remote.manual).then(|| registration(ident, krate));
    // `()` always qualifies; bounding it as well as a `()` result would
    // give rustc two candidates for the same `Deserialize` and no answer.
    let args_bound = (!arg_types.is_empty())
        .then(|| quote!(for<'__pycos> (#(#arg_types,)*): #krate::__private::RemoteArgs,));
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types, dead_code)]
        #[derive(Debug, Clone, Copy)]
        #vis struct #ident {}

        #[doc(hidden)]
        const _: () = {
            #(#asserts)*

            #[automatically_derived]
            impl #krate::rps::RemoteFn for #ident
            where
                #args_bound
                for<'__pycos> #output: #krate::__private::RemoteOutput,
            {
                type Args = (#(#arg_types,)*);
                type Output = #output;
                const NAME: &'static str = #name;
                const SIGNATURE_TEXT: &'static str = #text;
                const SIGNATURE: u64 = #krate::rps::signature_hash(Self::SIGNATURE_TEXT);

                fn spec(args: Self::Args) -> #krate::TaskSpec<Self::Output> {
                    let (#(#bindings,)*) = args;
                    #ident(#(#bindings),*)
                }
            }

            #registration
        };
    }
}

/// `"(A, B) -> R"`: the argument and result types as written.
fn signature_text(task: &TaskFn) -> String {
    let args: Vec<_> = task.args().map(|arg| compact(&arg.pat.ty)).collect();
    let ret = match &task.ret {
        Ret::Unit => "()".to_owned(),
        Ret::Plain(ty) | Ret::Fallible(ty) => compact(ty),
    };
    format!("({}) -> {ret}", args.join(", "))
}

/// One check per argument and one for the result, spanned on the types.
fn asserts(task: &TaskFn, krate: &Path) -> Vec<TokenStream> {
    let mut asserts: Vec<_> = task
        .args()
        .map(|arg| {
            let ty = &arg.pat.ty;
            quote_spanned!(ty.span()=> let _ = #krate::__private::assert_remote_arg::<#ty>;)
        })
        .collect();
    let output = spec_type(&task.ret, krate);
    let span = match &task.ret {
        Ret::Unit => task.sig.ident.span(),
        Ret::Plain(ty) | Ret::Fallible(ty) => ty.span(),
    };
    asserts
        .push(quote_spanned!(span=> let _ = #krate::__private::assert_remote_output::<#output>;));
    asserts
}

/// The linkme static that registers the function at link time.
fn registration(ident: &syn::Ident, krate: &Path) -> TokenStream {
    let linkme = quote!(#krate::__private::linkme);
    quote! {
        #[#linkme::distributed_slice(#krate::__private::REMOTE_FNS)]
        #[linkme(crate = #linkme)]
        static __PYCOS_REMOTE_FN: #krate::rps::Entry =
            #krate::rps::Entry::of::<#ident>(::core::file!(), ::core::line!());
    }
}
