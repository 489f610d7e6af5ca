//! Options inside the attribute's parentheses: `#[task(crate = "my::pycos")]`,
//! `#[pycos::test(virtual_clock)]`.
//!
//! Unknown and duplicate options are errors that list the valid ones.

use crate::diag::Errors;
use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, Meta, Path, Token, parse_quote};

/// One option a macro may accept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opt {
    /// `crate = "path"`: where the `pycos` crate is.
    Crate,
    /// `virtual_clock` (or `virtual_clock = bool`): test on a virtual clock.
    VirtualClock,
    /// `log = bool`: whether `#[pycos::main]` installs its stderr logger.
    Log,
    /// `local`: a `#[task]` whose arguments need not be `Send`.
    Local,
    /// `remote`: a `#[task]` that peers create by name (RPS).
    Remote,
    /// `name = "..."`: a remote task function's stable name.
    Name,
    /// `manual`: no static registration (the crate calls `register_fn`).
    Manual,
}

impl Opt {
    const ALL: [Opt; 7] = [
        Opt::Crate,
        Opt::VirtualClock,
        Opt::Log,
        Opt::Local,
        Opt::Remote,
        Opt::Name,
        Opt::Manual,
    ];

    fn name(self) -> &'static str {
        match self {
            Opt::Crate => "crate",
            Opt::VirtualClock => "virtual_clock",
            Opt::Log => "log",
            Opt::Local => "local",
            Opt::Remote => "remote",
            Opt::Name => "name",
            Opt::Manual => "manual",
        }
    }

    fn usage(self) -> &'static str {
        match self {
            Opt::Crate => "`crate = \"path::to::pycos\"`",
            Opt::VirtualClock => "`virtual_clock`",
            Opt::Log => "`log = false`",
            Opt::Local => "`local`",
            Opt::Remote => "`remote`",
            Opt::Name => "`name = \"my_crate::function\"`",
            Opt::Manual => "`manual`",
        }
    }
}

/// The parsed options; absent ones have their default.
pub(crate) struct Options {
    krate: Option<Path>,
    pub(crate) virtual_clock: bool,
    pub(crate) log: bool,
    pub(crate) local: bool,
    pub(crate) remote: Option<Path>,
    /// `name = "..."`, with the option's span for errors.
    pub(crate) name: Option<syn::LitStr>,
    pub(crate) manual: Option<Path>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            krate: None,
            virtual_clock: false,
            log: true,
            local: false,
            remote: None,
            name: None,
            manual: None,
        }
    }
}

impl Options {
    /// Parses `attr` for the macro `macro_name` (as the user writes it, e.g.
    /// `#[task]`), which accepts the options `valid`.
    pub(crate) fn parse(
        attr: TokenStream,
        macro_name: &str,
        valid: &[Opt],
        errors: &mut Errors,
    ) -> Options {
        let mut options = Options::default();
        let parser = Punctuated::<Meta, Token![,]>::parse_terminated;
        let Some(metas) = errors.take(parser.parse2(attr)) else {
            return options;
        };
        let mut seen = Vec::new();
        for meta in metas {
            let name = meta.path();
            let Some(opt) = Opt::ALL.into_iter().find(|o| name.is_ident(o.name())) else {
                errors.spanned(name, unknown(name, macro_name, valid));
                continue;
            };
            if !valid.contains(&opt) {
                errors.spanned(name, unknown(name, macro_name, valid));
            } else if seen.contains(&opt) {
                errors.spanned(name, format!("duplicate option `{}`", opt.name()));
            } else {
                seen.push(opt);
                options.set(opt, &meta, errors);
            }
        }
        options
    }

    fn set(&mut self, opt: Opt, meta: &Meta, errors: &mut Errors) {
        match (opt, meta) {
            (Opt::Crate, Meta::NameValue(nv)) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => {
                    self.krate = errors.take(s.parse::<Path>());
                }
                other => errors.spanned(other, "expected a string: `crate = \"path::to::pycos\"`"),
            },
            (Opt::VirtualClock, Meta::Path(_)) => self.virtual_clock = true,
            (Opt::VirtualClock, Meta::NameValue(nv)) => {
                self.virtual_clock = bool_value(&nv.value, errors).unwrap_or_default();
            }
            (Opt::Local, Meta::Path(_)) => self.local = true,
            (Opt::Remote, Meta::Path(path)) => self.remote = Some(path.clone()),
            (Opt::Manual, Meta::Path(path)) => self.manual = Some(path.clone()),
            (Opt::Name, Meta::NameValue(nv)) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) if s.value().trim().is_empty() => {
                    errors.spanned(s, "a remote name cannot be empty");
                }
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => self.name = Some(s.clone()),
                other => {
                    errors.spanned(other, "expected a string: `name = \"my_crate::function\"`")
                }
            },
            (Opt::Log, Meta::Path(_)) => self.log = true,
            (Opt::Log, Meta::NameValue(nv)) => {
                self.log = bool_value(&nv.value, errors).unwrap_or(true);
            }
            (opt, meta) => errors.spanned(meta, format!("expected {}", opt.usage())),
        }
    }

    /// The path of the `pycos` crate in generated code: `::pycos` unless
    /// overridden with `crate = "…"`.
    pub(crate) fn krate(&self) -> Path {
        self.krate.clone().unwrap_or_else(|| parse_quote!(::pycos))
    }
}

/// A `true` or `false` literal.
fn bool_value(value: &Expr, errors: &mut Errors) -> Option<bool> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => Some(b.value),
        other => {
            errors.spanned(other, "expected `true` or `false`");
            None
        }
    }
}

fn unknown(name: &Path, macro_name: &str, valid: &[Opt]) -> String {
    let name = crate::render::compact(name);
    let list: Vec<_> = valid.iter().map(|o| o.usage()).collect();
    format!(
        "unknown option `{name}` for {macro_name}; valid options: {}",
        list.join(", ")
    )
}
