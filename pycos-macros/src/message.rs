//! `#[derive(Message)]`: a type that crosses the wire inside a `Msg`.
//!
//! Parse → validate → expand, as the other macros: [`parse`] reads the
//! `#[message(...)]` options (rejecting unknown, duplicate and malformed
//! ones), [`check`] refuses what cannot have one stable wire name
//! (generic types) or cannot be serialized by serde derives (unions), and
//! [`expand`] generates the `Message` impl, a serde bound check whose
//! error is readable, and, unless `manual`, the linkme static that
//! registers the type at link time.

use crate::diag::Errors;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::{Data, DeriveInput, LitStr, Path, parse_quote};

/// Expands `#[derive(Message)]` on `item`.
pub(crate) fn derive(item: TokenStream) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(item) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut errors = Errors::default();
    let options = parse(&input, &mut errors);
    check(&input, &mut errors);
    match errors.finish() {
        Ok(()) => expand(&input, &options),
        Err(error) => error.to_compile_error(),
    }
}

/// The `#[message(...)]` options.
#[derive(Default)]
struct Options {
    name: Option<LitStr>,
    manual: bool,
    krate: Option<Path>,
}

const VALID: &str = "`name = \"...\"`, `manual`, `crate = \"path::to::pycos\"`";

fn parse(input: &DeriveInput, errors: &mut Errors) -> Options {
    let mut options = Options::default();
    let (mut seen_name, mut seen_manual, mut seen_crate) = (false, false, false);
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("message")) {
        let result = attr.parse_nested_meta(|meta| {
            let once = |seen: &mut bool, what: &str| {
                if std::mem::replace(seen, true) {
                    Err(meta.error(format!("duplicate option `{what}`")))
                } else {
                    Ok(())
                }
            };
            if meta.path.is_ident("name") {
                once(&mut seen_name, "name")?;
                let value = meta.value()?;
                let lit: LitStr = value.parse().map_err(|err| {
                    syn::Error::new(err.span(), "expected a string: `name = \"my_crate::Type\"`")
                })?;
                if lit.value().trim().is_empty() {
                    return Err(syn::Error::new(lit.span(), "a wire name cannot be empty"));
                }
                options.name = Some(lit);
            } else if meta.path.is_ident("manual") {
                once(&mut seen_manual, "manual")?;
                options.manual = true;
            } else if meta.path.is_ident("crate") {
                once(&mut seen_crate, "crate")?;
                let lit: LitStr = meta.value()?.parse()?;
                options.krate = Some(lit.parse()?);
            } else {
                let name = crate::render::compact(&meta.path);
                return Err(meta.error(format!(
                    "unknown option `{name}` for #[derive(Message)]; valid options: {VALID}"
                )));
            }
            Ok(())
        });
        errors.take(result);
    }
    options
}

fn check(input: &DeriveInput, errors: &mut Errors) {
    if let Data::Union(union) = &input.data {
        errors.spanned(
            union.union_token,
            "a Message cannot be a union: serde cannot encode one; use a struct or an enum",
        );
    }
    let generics = &input.generics;
    if !generics.params.is_empty() || generics.where_clause.is_some() {
        errors.spanned(
            generics,
            "a Message needs one stable wire name: generic types are not supported; wrap a concrete instantiation",
        );
    }
}

fn expand(input: &DeriveInput, options: &Options) -> TokenStream {
    let ident = &input.ident;
    let krate = options
        .krate
        .clone()
        .unwrap_or_else(|| parse_quote!(::pycos));
    let name = match &options.name {
        Some(lit) => quote!(#lit),
        None => {
            let type_name = ident.to_string();
            quote!(::core::concat!(::core::env!("CARGO_CRATE_NAME"), "::", #type_name))
        }
    };
    // Spanned on the type, so the bound error points at it.
    let span = ident.span();
    let assert = quote_spanned! {span=>
        let _ = #krate::__private::assert_wire::<#ident>;
    };
    let registration = (!options.manual).then(|| registration(ident, &krate, span));
    quote! {
        // The higher-ranked bound keeps a non-serializable type to the one
        // readable error of `assert_wire` instead of the impl's own.
        #[automatically_derived]
        impl #krate::Message for #ident
        where
            for<'__pycos> #ident: #krate::__private::WireBounds,
        {
            const NAME: &'static str = #name;
        }

        #[doc(hidden)]
        const _: () = {
            #assert
            #registration
        };
    }
}

/// The linkme static that registers the type at link time.
fn registration(ident: &syn::Ident, krate: &Path, span: Span) -> TokenStream {
    let linkme = quote_spanned!(span=> #krate::__private::linkme);
    quote_spanned! {span=>
        #[#linkme::distributed_slice(#krate::__private::MESSAGES)]
        #[linkme(crate = #linkme)]
        static __PYCOS_MESSAGE: #krate::__private::MessageEntry =
            #krate::__private::MessageEntry::of::<#ident>(::core::file!(), ::core::line!());
    }
}
