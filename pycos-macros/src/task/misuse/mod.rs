//! Misuse checks on a task body: blocking calls on the scheduler thread,
//! self-only operations on another task's handle, pycos futures that are
//! never awaited. Each is a compile error naming the replacement.
//!
//! The walk covers the body with its closures, `async` blocks and the
//! arguments of macro calls that parse as expressions (`println!`), since all
//! of them run on the scheduler thread. It skips nested items (their own
//! code) and closures or `async` blocks passed straight to `spawn`,
//! `spawn_blocking` or `async_task`, which run on another thread where
//! blocking is allowed (`pool.async_task(|| stdin().read_line(..))`).

mod rules;
mod scope;

use super::parse::{Param, TaskFn};
use crate::diag::Errors;
use rules::RUNS_ELSEWHERE;
use scope::{Kind, Scopes};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{
    Arm, Block, Expr, ExprCall, ExprClosure, ExprForLoop, ExprIf, ExprLet, ExprMethodCall,
    ExprPath, ExprWhile, Item, Local, Macro, Pat, Stmt, Token,
};

/// Reports every misuse in the body of `task`.
pub(crate) fn body(task: &TaskFn, errors: &mut Errors) {
    let mut checker = Checker {
        scopes: Scopes::default(),
        errors,
    };
    checker.scopes.push();
    for param in &task.params {
        match param {
            Param::Ctx(ctx) => checker.scopes.bind(&ctx.pat, Kind::Ctx),
            Param::Arg(arg) => checker
                .scopes
                .bind(&arg.pat.pat, Kind::of_type(&arg.pat.ty)),
        }
    }
    checker.visit_block(&task.body);
}

struct Checker<'a> {
    scopes: Scopes,
    errors: &'a mut Errors,
}

impl Checker<'_> {
    /// Runs `f` in a new scope of names.
    fn scoped(&mut self, f: impl FnOnce(&mut Self)) {
        self.scopes.push();
        f(self);
        self.scopes.pop();
    }

    /// Visits the arguments of `callee`, except code it runs elsewhere.
    fn visit_args<'e>(&mut self, callee: &str, args: impl IntoIterator<Item = &'e Expr>) {
        let elsewhere = RUNS_ELSEWHERE.contains(&callee);
        for arg in args {
            if !(elsewhere && matches!(arg, Expr::Closure(_) | Expr::Async(_))) {
                self.visit_expr(arg);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Checker<'_> {
    fn visit_item(&mut self, _: &'ast Item) {}

    fn visit_block(&mut self, block: &'ast Block) {
        self.scoped(|c| visit::visit_block(c, block));
    }

    fn visit_stmt(&mut self, stmt: &'ast Stmt) {
        if let Stmt::Expr(expr, Some(_)) = stmt {
            rules::statement(expr, &self.scopes, self.errors);
        }
        visit::visit_stmt(self, stmt);
    }

    fn visit_local(&mut self, local: &'ast Local) {
        let mut kind = Kind::Other;
        if let (Pat::Wild(_), Some(init)) = (&local.pat, &local.init) {
            // `let _ = task.sleep(1.0);` drops the wait as surely as `;`.
            rules::statement(&init.expr, &self.scopes, self.errors);
        }
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
            kind = self.scopes.kind_of(&init.expr);
        }
        if let Pat::Type(typed) = &local.pat {
            kind = Kind::of_type(&typed.ty);
        }
        self.scopes.bind(&local.pat, kind);
    }

    fn visit_expr_closure(&mut self, closure: &'ast ExprClosure) {
        self.scoped(|c| {
            for input in &closure.inputs {
                let kind = match input {
                    Pat::Type(typed) => Kind::of_type(&typed.ty),
                    _ => Kind::Other,
                };
                c.scopes.bind(input, kind);
            }
            c.visit_expr(&closure.body);
        });
    }

    fn visit_arm(&mut self, arm: &'ast Arm) {
        self.scoped(|c| {
            c.scopes.bind(&arm.pat, Kind::Other);
            if let Some((_, guard)) = &arm.guard {
                c.visit_expr(guard);
            }
            c.visit_expr(&arm.body);
        });
    }

    fn visit_expr_for_loop(&mut self, for_loop: &'ast ExprForLoop) {
        self.visit_expr(&for_loop.expr);
        self.scoped(|c| {
            c.scopes.bind(&for_loop.pat, Kind::Other);
            c.visit_block(&for_loop.body);
        });
    }

    fn visit_expr_if(&mut self, expr: &'ast ExprIf) {
        self.scoped(|c| {
            c.visit_expr(&expr.cond);
            c.visit_block(&expr.then_branch);
        });
        if let Some((_, else_branch)) = &expr.else_branch {
            self.visit_expr(else_branch);
        }
    }

    fn visit_expr_while(&mut self, expr: &'ast ExprWhile) {
        self.scoped(|c| {
            c.visit_expr(&expr.cond);
            c.visit_block(&expr.body);
        });
    }

    fn visit_expr_let(&mut self, expr: &'ast ExprLet) {
        self.visit_expr(&expr.expr);
        self.scopes.bind(&expr.pat, Kind::Other);
    }

    fn visit_expr_path(&mut self, path: &'ast ExprPath) {
        rules::path(path, self.errors);
    }

    fn visit_expr_call(&mut self, call: &'ast ExprCall) {
        rules::call(call, self.errors);
        self.visit_expr(&call.func);
        let callee = match &*call.func {
            Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        self.visit_args(callee.as_deref().unwrap_or_default(), &call.args);
    }

    fn visit_expr_method_call(&mut self, call: &'ast ExprMethodCall) {
        rules::method_call(call, &self.scopes, self.errors);
        self.visit_expr(&call.receiver);
        self.visit_args(&call.method.to_string(), &call.args);
    }

    fn visit_macro(&mut self, mac: &'ast Macro) {
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        if let Ok(args) = mac.parse_body_with(parser) {
            args.iter().for_each(|arg| self.visit_expr(arg));
        }
    }
}
