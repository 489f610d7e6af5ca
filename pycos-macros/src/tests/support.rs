//! Helpers: run a macro on source text, pretty-print or pick out errors.

use proc_macro2::{TokenStream, TokenTree};

/// Which macro to run.
#[derive(Clone, Copy)]
pub(super) enum Macro {
    Task,
    Main,
    Test,
}

/// Runs `#[macro(attr)]` on `item`.
pub(super) fn run(mac: Macro, attr: &str, item: &str) -> TokenStream {
    let attr: TokenStream = attr.parse().expect("attribute tokens");
    let item: TokenStream = item.parse().expect("item tokens");
    match mac {
        Macro::Task => crate::task::expand(attr, item),
        Macro::Main => crate::entry::main(attr, item),
        Macro::Test => crate::entry::test(attr, item),
    }
}

/// The expansion as formatted source; it must parse as a file.
pub(super) fn pretty(tokens: TokenStream) -> String {
    let file = syn::parse2::<syn::File>(tokens).expect("expansion is a list of items");
    prettyplease::unparse(&file)
}

/// Runs the macro and pretty-prints the result, which must have no error.
pub(super) fn expand(mac: Macro, attr: &str, item: &str) -> String {
    let tokens = run(mac, attr, item);
    let errors = errors_in(tokens.clone());
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    pretty(tokens)
}

/// The messages of the `compile_error!`s in the macro's output.
pub(super) fn errors(mac: Macro, attr: &str, item: &str) -> Vec<String> {
    errors_in(run(mac, attr, item))
}

/// The `task` macro's error messages for `item`.
pub(super) fn task_errors(item: &str) -> Vec<String> {
    errors(Macro::Task, "", item)
}

fn errors_in(tokens: TokenStream) -> Vec<String> {
    let mut found = Vec::new();
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                if let Some(TokenTree::Group(args)) = trees.get(i + 2) {
                    let lit: syn::LitStr = syn::parse2(args.stream()).expect("message");
                    found.push(lit.value());
                }
            }
            TokenTree::Group(group) => {
                found.extend(errors_in(group.stream()));
            }
            _ => {}
        }
    }
    found
}
