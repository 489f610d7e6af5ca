//! Code generation for a checked task function.
//!
//! ```text
//! #[task]
//! fn client_proc(server: Task, n: u32, task: TaskCtx) { body }
//! ```
//! becomes
//! ```text
//! fn client_proc(server: Task, n: u32) -> ::pycos::TaskSpec<()> {
//!     async fn __pycos_body(server: Task, n: u32, task: TaskCtx) { body' }
//!     ::pycos::__private::assert_task_arg::<Task>();
//!     ::pycos::__private::assert_task_arg::<u32>();
//!     ::pycos::__private::spec("client_proc", (server, n,),
//!         |(server, n,), __pycos_task| __pycos_body(server, n, __pycos_task),
//!         ::pycos::__private::plain)
//! }
//! ```
//! where `body'` has its interruption points marked (see [`super::rewrite`]).
//! The body stays a nested `async fn` rather than an `async` block so that
//! `return` and `?` keep their meaning and the arguments are bound by the
//! patterns the user wrote.

use super::parse::{Param, Ret, TaskFn};
use super::rewrite;
use proc_macro2::{Delimiter, Group, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Path};

/// The task function.
///
/// Waits that are created but not awaited are rejected by the body checks
/// (`misuse`), not by denying `unused_must_use` on the body: that lint would
/// also turn an ignored `Result` (of `send`, say) into a hard error, which
/// ordinary Rust code only warns about.
pub(crate) fn task_fn(task: &TaskFn, krate: &Path) -> TokenStream {
    let TaskFn {
        attrs, vis, sig, ..
    } = task;
    let (fn_token, ident, generics) = (&sig.fn_token, &sig.ident, &sig.generics);
    let where_clause = &generics.where_clause;
    let outer_args = task.args().map(|arg| {
        let (binding, ty) = (&arg.binding, &arg.pat.ty);
        if is_untyped_task(ty) {
            quote!(#binding: impl #krate::__private::IntoTask)
        } else {
            quote!(#binding: #ty)
        }
    });
    let conversions = task
        .args()
        .filter(|arg| is_untyped_task(&arg.pat.ty))
        .map(|arg| {
            let (binding, ty) = (&arg.binding, &arg.pat.ty);
            quote!(let #binding: #ty = #krate::__private::IntoTask::into_task(#binding);)
        });
    let spec_ty = spec_type(&task.ret, krate);
    let spec_kind = if task.local {
        quote!(LocalTaskSpec)
    } else {
        quote!(TaskSpec)
    };
    let body_fn = body_fn(task, krate);
    let asserts = asserts(task, krate);
    let mut spec = spec_call(task, krate);
    if task.remote.is_some() {
        // `#ident` in the type namespace is the function's `RemoteFn` type.
        spec = quote!({
            use #krate::__private::{KeepSpec as _, MarkRemote as _};
            (&&#krate::__private::RemoteMark::<#ident>::new()).mark(#spec)
        });
    }
    quote! {
        #(#attrs)*
        #vis #fn_token #ident #generics (#(#outer_args),*) -> #krate::#spec_kind<#spec_ty>
        #where_clause
        {
            #body_fn
            #(#conversions)*
            #(#asserts)*
            #spec
        }
    }
}

/// Whether `ty` is the untyped handle `Task` (any path ending in `Task`
/// without generic arguments). Such a parameter accepts every task handle
/// (`Task<R>` for any `R`), so a typed handle from `Task::new` can be passed
/// where a task expects "some task", as pycos code does everywhere.
fn is_untyped_task(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    path.qself.is_none()
        && path.path.segments.last().is_some_and(|last| {
            last.ident == "Task" && matches!(last.arguments, syn::PathArguments::None)
        })
}

/// `async fn __pycos_body(...)`: the user's parameters and body.
fn body_fn(task: &TaskFn, krate: &Path) -> TokenStream {
    let sig = &task.sig;
    let (generics, output) = (&sig.generics, &sig.output);
    let where_clause = &generics.where_clause;
    let params = task.params.iter().map(|param| match param {
        Param::Ctx(ctx) => ctx.to_token_stream(),
        Param::Arg(arg) => arg.pat.to_token_stream(),
    });
    let lints = task.attrs.iter().filter(|attr| is_lint(attr));
    let mut body = task.body.clone();
    rewrite::interruption_points(&mut body, krate);
    let (inner_attrs, stmts) = (&task.inner_attrs, &body.stmts);
    let imports = rewrite::imports(krate);
    let mut block = Group::new(
        Delimiter::Brace,
        quote!(#(#inner_attrs)* #imports #(#stmts)*),
    );
    block.set_span(body.brace_token.span.join());
    quote! {
        #(#lints)*
        async fn __pycos_body #generics (#(#params),*) #output #where_clause #block
    }
}

/// Whether `attr` sets a lint level: those of the function apply to its
/// body as well.
pub(crate) fn is_lint(attr: &Attribute) -> bool {
    ["allow", "warn", "deny", "forbid"]
        .iter()
        .any(|level| attr.path().is_ident(level))
}

/// The `R` of `TaskSpec<R>`.
pub(crate) fn spec_type(ret: &Ret, krate: &Path) -> TokenStream {
    match ret {
        Ret::Unit => quote!(()),
        Ret::Plain(ty) => ty.to_token_stream(),
        Ret::Fallible(ty) => quote!(<#ty as #krate::__private::Fallible>::Ok),
    }
}

/// Trait assertions whose `on_unimplemented` messages land on the user's
/// types: every argument `Send + 'static` (unless the task is local), the
/// result `Send + Sync + 'static`.
fn asserts(task: &TaskFn, krate: &Path) -> Vec<TokenStream> {
    let mut asserts: Vec<_> = task
        .args()
        .filter(|_| !task.local)
        .map(|arg| {
            let ty = &arg.pat.ty;
            quote_spanned!(ty.span()=> #krate::__private::assert_task_arg::<#ty>();)
        })
        .collect();
    if let Ret::Plain(ty) | Ret::Fallible(ty) = &task.ret {
        let spec_ty = spec_type(&task.ret, krate);
        asserts.push(quote_spanned!(ty.span()=>
            #krate::__private::assert_task_return::<#spec_ty>();
        ));
    }
    asserts
}

/// `spec(name, (args,), |(args,), ctx| __pycos_body(..), finish)`.
fn spec_call(task: &TaskFn, krate: &Path) -> TokenStream {
    let name = &task.name;
    let bindings: Vec<_> = task.args().map(|arg| &arg.binding).collect();
    let has_ctx = task.ctxs().next().is_some();
    let ctx = if has_ctx {
        quote!(__pycos_task)
    } else {
        quote!(_)
    };
    let call_args = task.params.iter().map(|param| match param {
        Param::Ctx(_) => quote!(__pycos_task),
        Param::Arg(arg) => arg.binding.to_token_stream(),
    });
    let turbofish = task.sig.generics.split_for_impl().1;
    let turbofish = turbofish.as_turbofish();
    let finish = match task.ret {
        Ret::Fallible(_) => quote!(fallible),
        Ret::Unit | Ret::Plain(_) => quote!(plain),
    };
    let builder = if task.local {
        quote!(local_spec)
    } else {
        quote!(spec)
    };
    quote! {
        #krate::__private::#builder(
            #name,
            (#(#bindings,)*),
            |(#(#bindings,)*), #ctx| __pycos_body #turbofish (#(#call_args),*),
            #krate::__private::#finish,
        )
    }
}
