//! Signature rules of a task function, each broken rule a spanned error.
//!
//! A task's arguments are moved into its spec and on to the scheduler
//! thread, so they must be owned (`Send + 'static`). What can be seen in the
//! tokens (references, lifetimes, `impl Trait`) is rejected here with the
//! fix; what cannot (an `Rc<T>`) is left to the runtime's `TaskArg` trait
//! and its `on_unimplemented` message.

use super::parse::{Ret, TaskFn, last_ident_is};
use crate::diag::Errors;
use crate::render::compact;
use syn::visit::{self, Visit};
use syn::{FnArg, GenericParam, Lifetime, Type, TypeImplTrait, TypeReference};

/// Checks everything but the body.
pub(crate) fn signature(task: &TaskFn, errors: &mut Errors) {
    qualifiers(task, errors);
    for param in &task.sig.generics.params {
        if let GenericParam::Lifetime(lt) = param {
            errors.spanned(
                lt,
                "#[task] functions cannot have lifetime parameters: \
                 task arguments are moved to the scheduler thread and must be `'static`",
            );
        }
    }
    params(task, errors);
    if let Ret::Plain(ty) | Ret::Fallible(ty) = &task.ret
        && let Type::ImplTrait(_) = &**ty
    {
        errors.spanned(
            ty,
            "`impl Trait` is not allowed as a task's return type: name the type",
        );
    }
}

fn qualifiers(task: &TaskFn, errors: &mut Errors) {
    let sig = &task.sig;
    if let Some(token) = &sig.constness {
        errors.spanned(token, "#[task] functions cannot be `const`");
    }
    if let Some(token) = &sig.unsafety {
        errors.spanned(
            token,
            "#[task] functions cannot be `unsafe`: use an `unsafe` block in the body",
        );
    }
    if let Some(abi) = &sig.abi {
        errors.spanned(abi, "#[task] functions cannot have an `extern` ABI");
    }
    if let Some(variadic) = &sig.variadic {
        errors.spanned(variadic, "#[task] functions cannot be variadic");
    }
    for input in &sig.inputs {
        if let FnArg::Receiver(receiver) = input {
            errors.spanned(
                receiver,
                "#[task] makes a free function; move the method body to a free \
                 function taking the value as an argument",
            );
        }
    }
}

fn params(task: &TaskFn, errors: &mut Errors) {
    for (i, ctx) in task.ctxs().enumerate() {
        if i > 0 {
            errors.spanned(&ctx.pat, "duplicate `task` parameter");
        } else if !is_task_ctx(&ctx.ty) {
            errors.spanned(
                &ctx.ty,
                "the `task` parameter is injected by #[task] and must have type `TaskCtx`",
            );
        }
    }
    for arg in task.args() {
        if is_task_ctx(&arg.pat.ty) {
            errors.spanned(
                &arg.pat.pat,
                "the injected `TaskCtx` parameter must be named `task`",
            );
        } else {
            Owned { errors }.visit_type(&arg.pat.ty);
        }
    }
}

/// Whether `ty` is a path ending in `TaskCtx` (`TaskCtx`, `pycos::TaskCtx`).
pub(crate) fn is_task_ctx(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && last_ident_is(&p.path, "TaskCtx"))
}

/// Reports what keeps an argument type from being owned.
struct Owned<'a> {
    errors: &'a mut Errors,
}

impl Visit<'_> for Owned<'_> {
    fn visit_type_reference(&mut self, reference: &TypeReference) {
        if reference.lifetime.as_ref().is_some_and(is_static) {
            return self.visit_type(&reference.elem);
        }
        let elem = &reference.elem;
        let owned = match &**elem {
            Type::Slice(slice) => format!("Vec<{}>", compact(&slice.elem)),
            Type::TraitObject(_) => format!("Box<{}>", compact(elem)),
            Type::Path(path) if path.qself.is_none() => match compact(path).as_str() {
                "str" => "String".to_owned(),
                "Path" => "PathBuf".to_owned(),
                "OsStr" => "OsString".to_owned(),
                "CStr" => "CString".to_owned(),
                other => other.to_owned(),
            },
            _ => compact(elem),
        };
        let message = format!(
            "task arguments are moved to the scheduler thread and must be owned: \
             take `{owned}` instead of `{}`, or an `Arc<{}>`",
            compact(reference),
            compact(elem),
        );
        self.errors.spanned(reference, message);
    }

    fn visit_lifetime(&mut self, lifetime: &Lifetime) {
        if !is_static(lifetime) {
            let message = format!(
                "task arguments are moved to the scheduler thread and must be `'static`: \
                 remove the lifetime `{lifetime}` (own the data, or share it with `Arc<T>`)"
            );
            self.errors.spanned(lifetime, message);
        }
    }

    fn visit_type_impl_trait(&mut self, ty: &TypeImplTrait) {
        let bounds = compact(&ty.bounds);
        let message = format!(
            "`impl Trait` is not allowed in #[task] arguments: add a generic parameter \
             `T: {bounds} + Send + 'static` and take a `T`"
        );
        self.errors.spanned(ty, message);
    }

    // `fn(&str)`, `Fn(&str)` and `for<'a> ...` bind their own lifetimes.
    fn visit_type_bare_fn(&mut self, _: &syn::TypeBareFn) {}

    fn visit_parenthesized_generic_arguments(&mut self, _: &syn::ParenthesizedGenericArguments) {}

    fn visit_trait_bound(&mut self, bound: &syn::TraitBound) {
        if bound.lifetimes.is_none() {
            visit::visit_trait_bound(self, bound);
        }
    }
}

fn is_static(lifetime: &Lifetime) -> bool {
    lifetime.ident == "static"
}
