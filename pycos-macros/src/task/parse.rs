//! The task function as the macro sees it: which parameter is injected,
//! which are arguments, and whether the result is fallible.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::{
    AttrStyle, Attribute, Block, FnArg, Ident, Item, ItemFn, LitStr, Pat, PatType, ReturnType,
    Signature, Type, Visibility,
};

/// A function under `#[task]`, split into the parts the expansion uses.
#[derive(Clone)]
pub(crate) struct TaskFn {
    /// Attributes and docs of the function (`#[...]` before it).
    pub(crate) attrs: Vec<Attribute>,
    /// Inner attributes of the body (`#![...]`).
    pub(crate) inner_attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    /// The signature as written.
    pub(crate) sig: Signature,
    pub(crate) body: Block,
    /// The parameters in order, `self` receivers left out.
    pub(crate) params: Vec<Param>,
    pub(crate) ret: Ret,
    /// The task's name: the function's name as `stringify!` gives it.
    pub(crate) name: LitStr,
    /// `#[task(local)]`: a `LocalTaskSpec`, arguments need not be `Send`.
    pub(crate) local: bool,
    /// `#[task(remote)]`: peers may create it by name.
    pub(crate) remote: Option<Remote>,
}

/// The options of a `#[task(remote)]` function.
#[derive(Clone)]
pub(crate) struct Remote {
    /// `name = "..."`; by default `crate_name::fn_name`.
    pub(crate) name: Option<LitStr>,
    /// `manual`: no static registration.
    pub(crate) manual: bool,
}

/// One parameter of the function.
#[derive(Clone)]
pub(crate) enum Param {
    /// The parameter named `task`: the scheduler passes the `TaskCtx`.
    Ctx(PatType),
    /// An argument the caller gives.
    Arg(Arg),
}

/// An argument: `binding` names it in the generated function, `pat` (with
/// its type) binds it in the body as the user wrote it.
#[derive(Clone)]
pub(crate) struct Arg {
    pub(crate) binding: Ident,
    pub(crate) pat: PatType,
}

/// The result of the task.
#[derive(Clone)]
pub(crate) enum Ret {
    /// No return type: `()`.
    Unit,
    /// `-> T`: the task's value is `T`.
    Plain(Box<Type>),
    /// `-> Result<T, E>` (any path ending in `Result`): the value is `T`,
    /// an `Err` fails the task.
    Fallible(Box<Type>),
}

impl TaskFn {
    pub(crate) fn new(item: ItemFn) -> TaskFn {
        let (inner_attrs, attrs) = item
            .attrs
            .into_iter()
            .partition(|attr| matches!(attr.style, AttrStyle::Inner(_)));
        let name = LitStr::new(&item.sig.ident.to_string(), item.sig.ident.span());
        TaskFn {
            attrs,
            inner_attrs,
            vis: item.vis,
            params: params(&item.sig),
            ret: Ret::of(&item.sig.output),
            sig: item.sig,
            body: *item.block,
            name,
            local: false,
            remote: None,
        }
    }

    /// The arguments the caller gives, in order.
    pub(crate) fn args(&self) -> impl Iterator<Item = &Arg> {
        self.params.iter().filter_map(|param| match param {
            Param::Arg(arg) => Some(arg),
            Param::Ctx(_) => None,
        })
    }

    /// The injected `task` parameters (more than one is an error).
    pub(crate) fn ctxs(&self) -> impl Iterator<Item = &PatType> {
        self.params.iter().filter_map(|param| match param {
            Param::Ctx(ctx) => Some(ctx),
            Param::Arg(_) => None,
        })
    }
}

fn params(sig: &Signature) -> Vec<Param> {
    let typed = sig.inputs.iter().filter_map(|input| match input {
        FnArg::Typed(pat) => Some(pat),
        FnArg::Receiver(_) => None,
    });
    let mut args = 0_usize;
    let mut params = Vec::new();
    for pat in typed {
        if is_task_ident(&pat.pat) {
            params.push(Param::Ctx(pat.clone()));
            continue;
        }
        let binding = match &*pat.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => p.ident.clone(),
            _ => format_ident!("__arg{}", args),
        };
        args += 1;
        let pat = pat.clone();
        params.push(Param::Arg(Arg { binding, pat }));
    }
    params
}

/// Whether `pat` is the plain binding `task` (or `mut task`).
fn is_task_ident(pat: &Pat) -> bool {
    // `_task` too: rustc suggests it when the body does not use the context.
    matches!(pat, Pat::Ident(p) if (p.ident == "task" || p.ident == "_task") && p.subpat.is_none())
}

impl Ret {
    fn of(output: &ReturnType) -> Ret {
        let ReturnType::Type(_, ty) = output else {
            return Ret::Unit;
        };
        match &**ty {
            Type::Path(path) if path.qself.is_none() && last_ident_is(&path.path, "Result") => {
                Ret::Fallible(ty.clone())
            }
            _ => Ret::Plain(ty.clone()),
        }
    }
}

/// Whether the last segment of `path` is `name` (generic arguments aside).
pub(crate) fn last_ident_is(path: &syn::Path, name: &str) -> bool {
    path.segments.last().is_some_and(|seg| seg.ident == name)
}

/// Parses the attribute's item as a function, or says what `macro_name`
/// applies to, spanned on the item's head (`struct Foo`, `impl Foo`, ...).
pub(crate) fn item_fn(item: TokenStream, macro_name: &str) -> syn::Result<ItemFn> {
    let message = |kind: &str| {
        format!("{macro_name} applies to free functions (`fn` or `async fn`), not to {kind}")
    };
    let parsed = syn::parse2::<Item>(item.clone());
    let Ok(item) = parsed else {
        return Err(syn::Error::new_spanned(item, message("this item")));
    };
    let (head, kind) = match item {
        Item::Fn(item) => return Ok(item),
        Item::Struct(i) => (head(&i.struct_token, &i.ident), "a struct"),
        Item::Enum(i) => (head(&i.enum_token, &i.ident), "an enum"),
        Item::Union(i) => (head(&i.union_token, &i.ident), "a union"),
        Item::Impl(i) => (head(&i.impl_token, &i.self_ty), "an impl block"),
        Item::Trait(i) => (head(&i.trait_token, &i.ident), "a trait"),
        Item::Const(i) => (head(&i.const_token, &i.ident), "a const"),
        Item::Static(i) => (head(&i.static_token, &i.ident), "a static"),
        Item::Type(i) => (head(&i.type_token, &i.ident), "a type alias"),
        Item::Mod(i) => (head(&i.mod_token, &i.ident), "a module"),
        Item::Use(i) => (i.to_token_stream(), "a use declaration"),
        Item::Macro(i) => (i.mac.to_token_stream(), "a macro invocation"),
        other => (other.to_token_stream(), "this item"),
    };
    Err(syn::Error::new_spanned(head, message(kind)))
}

fn head(keyword: &impl ToTokens, name: &impl ToTokens) -> TokenStream {
    quote!(#keyword #name)
}
