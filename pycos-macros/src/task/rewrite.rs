//! Marks the task's interruption points: every `.await` of the body itself,
//! `E.await`, becomes `(&mut Probe::new(E)).__pycos_point().await` (through a
//! binding, see below).
//!
//! The point wraps the future so that a `throw`, `terminate` or accepted
//! `hot_swap` aimed at the task takes effect when the task waits there.
//! Method lookup picks the point's kind from `E`'s type: the receiver type
//! is tried before its reference, so `ViaOwnWait` (implemented for pycos'
//! own waits) wins over `ViaOtherWait` (anything else, such as a helper
//! `async fn`, where a hot swap must wait until the helper returns). Both
//! traits are imported at the top of the body ([`imports`]).
//! Awaits in nested closures, `async` blocks and items belong to other
//! futures (the task may not be the one polling them), and macro bodies are
//! opaque tokens, so all of those are left alone. Awaits in `E` itself
//! (`(a.await + 1).await`) are the task's own and are rewritten too.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Item, Macro, Path, parse_quote_spanned};

/// Rewrites the top-level awaits of `body`.
pub(crate) fn interruption_points(body: &mut Block, krate: &Path) {
    Points { krate }.visit_block_mut(body);
}

/// The statement that brings the point-kind traits into the body's scope.
pub(crate) fn imports(krate: &Path) -> TokenStream {
    quote::quote! {
        #[allow(unused_imports)]
        use #krate::__private::{ViaOtherWait as _, ViaOwnWait as _};
    }
}

struct Points<'a> {
    krate: &'a Path,
}

impl VisitMut for Points<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Closure(_) | Expr::Async(_) | Expr::Macro(_) => {}
            Expr::Await(await_expr) => {
                self.visit_expr_mut(&mut await_expr.base);
                let span = await_expr.await_token.span;
                let (attrs, krate) = (&await_expr.attrs, respan(self.krate, span));
                let base = match &*await_expr.base {
                    // `(a + b).await`: no `unused_parens` in `point((a + b))`.
                    Expr::Paren(paren) if paren.attrs.is_empty() => &paren.expr,
                    base => base,
                };
                // Spanned on `.await` so that "not a future" lands there, as
                // it does without the macro.
                // The probe is moved into a binding, not left as a
                // temporary: a temporary would live to the end of the
                // statement and hold the borrows of `E` that long.
                *expr = parse_quote_spanned! {span=>
                    #(#attrs)* match #krate::__private::Probe::new(#base) {
                        mut __pycos_probe => (&mut __pycos_probe).__pycos_point(),
                    }.await
                };
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_item_mut(&mut self, _: &mut Item) {}

    fn visit_macro_mut(&mut self, _: &mut Macro) {}
}

/// `tokens` with every span set to `span`.
fn respan(tokens: impl ToTokens, span: Span) -> TokenStream {
    let respan_tree = |tree: TokenTree| match tree {
        TokenTree::Group(group) => {
            let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
            respanned.set_span(span);
            TokenTree::Group(respanned)
        }
        mut other => {
            other.set_span(span);
            other
        }
    };
    tokens
        .into_token_stream()
        .into_iter()
        .map(respan_tree)
        .collect()
}
