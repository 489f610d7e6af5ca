//! What the checks know about local names: which ones hold a `Task`, the
//! task's own `TaskCtx`, or a `Pycos` scheduler.
//!
//! Types are not known to a macro, so this is a syntactic approximation:
//! parameters by their written type, `let` bindings by their written type or
//! by an initializer whose result is known (`Task::new(..)`,
//! `Pycos::instance()`, `other.clone()`). Shadowing follows Rust's block
//! scopes, so `let server = 5;` after `server: Task` is no longer a task.
//! Anything unknown is [`Kind::Other`] and never reported.

use syn::visit::{self, Visit};
use syn::{Expr, Ident, Pat, PatIdent, Type};

/// What a name or expression holds, as far as the checks can tell.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    /// A `Task` handle (another task, or the task's own handle).
    Task,
    /// The injected `TaskCtx`.
    Ctx,
    /// A `Pycos` scheduler handle.
    Pycos,
    /// `Pycos::builder()` and its chained setters.
    Builder,
    Other,
}

impl Kind {
    /// The kind of a value of the written type `ty` (or a reference to one).
    pub(super) fn of_type(ty: &Type) -> Kind {
        match ty {
            Type::Reference(r) => Kind::of_type(&r.elem),
            Type::Paren(p) => Kind::of_type(&p.elem),
            Type::Path(p) if p.qself.is_none() => match p.path.segments.last() {
                Some(seg) if seg.ident == "Task" => Kind::Task,
                Some(seg) if seg.ident == "TaskCtx" => Kind::Ctx,
                Some(seg) if seg.ident == "Pycos" => Kind::Pycos,
                _ => Kind::Other,
            },
            _ => Kind::Other,
        }
    }
}

/// Names in scope, innermost block last.
#[derive(Default)]
pub(super) struct Scopes {
    frames: Vec<Vec<(Ident, Kind)>>,
}

impl Scopes {
    pub(super) fn push(&mut self) {
        self.frames.push(Vec::new());
    }

    pub(super) fn pop(&mut self) {
        self.frames.pop();
    }

    /// Binds the names of `pat`: a single name (`x`, `x: T`) gets `kind`,
    /// the names of a destructuring pattern get [`Kind::Other`].
    pub(super) fn bind(&mut self, pat: &Pat, kind: Kind) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        match pat {
            Pat::Ident(p) if p.subpat.is_none() => frame.push((p.ident.clone(), kind)),
            Pat::Type(p) => self.bind(&p.pat, kind),
            _ => Names(frame).visit_pat(pat),
        }
    }

    fn lookup(&self, name: &Ident) -> Kind {
        let mut bindings = self.frames.iter().rev().flat_map(|f| f.iter().rev());
        bindings
            .find(|(ident, _)| ident == name)
            .map_or(Kind::Other, |(_, kind)| *kind)
    }

    /// The kind of the value of `expr`.
    pub(super) fn kind_of(&self, expr: &Expr) -> Kind {
        match expr {
            Expr::Path(p) if p.qself.is_none() => {
                p.path.get_ident().map_or(Kind::Other, |i| self.lookup(i))
            }
            Expr::Paren(e) => self.kind_of(&e.expr),
            Expr::Group(e) => self.kind_of(&e.expr),
            Expr::Reference(e) => self.kind_of(&e.expr),
            Expr::Await(e) => self.kind_of(&e.base),
            Expr::Try(e) => self.kind_of(&e.expr),
            Expr::MethodCall(call) => {
                let receiver = self.kind_of(&call.receiver);
                match (receiver, call.method.to_string().as_str()) {
                    (kind, "clone" | "unwrap" | "expect") => kind,
                    (Kind::Ctx, "handle") | (Kind::Pycos, "spawn") => Kind::Task,
                    (Kind::Builder, "build") => Kind::Pycos,
                    (Kind::Builder, _) => Kind::Builder,
                    _ => Kind::Other,
                }
            }
            Expr::Call(call) => match &*call.func {
                Expr::Path(f) if f.qself.is_none() => Kind::of_constructor(&f.path),
                _ => Kind::Other,
            },
            _ => Kind::Other,
        }
    }
}

impl Kind {
    /// The kind returned by calling the function at `path`.
    fn of_constructor(path: &syn::Path) -> Kind {
        let mut segments = path.segments.iter().rev();
        let (Some(func), Some(ty)) = (segments.next(), segments.next()) else {
            return Kind::Other;
        };
        let func = func.ident.to_string();
        match func.as_str() {
            "new" | "locate" if ty.ident == "Task" => Kind::Task,
            "new" | "instance" | "scheduler" if ty.ident == "Pycos" => Kind::Pycos,
            "cur_task" if ty.ident == "Pycos" => Kind::Task,
            "builder" if ty.ident == "Pycos" => Kind::Builder,
            _ => Kind::Other,
        }
    }
}

/// Collects every name a pattern binds, as [`Kind::Other`].
struct Names<'a>(&'a mut Vec<(Ident, Kind)>);

impl Visit<'_> for Names<'_> {
    fn visit_pat_ident(&mut self, p: &PatIdent) {
        self.0.push((p.ident.clone(), Kind::Other));
        visit::visit_pat_ident(self, p);
    }
}
