//! What the registries' duplicate errors say: where an entry was
//! registered ([`Place`], [`Origin`]) and the two claims on one name
//! ([`Duplicate`]), worded by each registry ([`Wording`]).

use std::fmt;

/// Where an entry was registered: the source place of its static
/// registration (a derive or attribute) or of the `register` call, or the
/// core's own list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// One of the entries the core registers itself.
    BuiltIn,
    /// A static registration or a `register` call.
    Source { file: &'static str, line: u32 },
}

/// A registered type and where it was registered, as a duplicate names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) type_name: &'static str,
    pub(crate) place: Place,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::BuiltIn => write!(f, "`{}` (built in)", self.type_name),
            Place::Source { file, line } => write!(f, "`{}` ({file}:{line})", self.type_name),
        }
    }
}

/// Two different types claim one name: the one that holds it first. Each
/// registry's public error wraps one and words it with a [`Wording`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Duplicate {
    name: &'static str,
    first: Origin,
    second: Origin,
}

/// How a registry's duplicate error names what it holds:
/// "two {what} share the {key} `name`: … ; give one another name with {rename}".
pub(crate) struct Wording {
    pub(crate) what: &'static str,
    pub(crate) key: &'static str,
    pub(crate) rename: &'static str,
}

impl Duplicate {
    pub(crate) fn new(name: &'static str, first: Origin, second: Origin) -> Duplicate {
        Duplicate {
            name,
            first,
            second,
        }
    }

    /// The name both types claim.
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    /// The two types' Rust names, the one registered first first.
    pub(crate) fn type_names(&self) -> [&'static str; 2] {
        [self.first.type_name, self.second.type_name]
    }

    /// The public error's `Display`, in its registry's words.
    pub(crate) fn describe(&self, f: &mut fmt::Formatter<'_>, wording: &Wording) -> fmt::Result {
        let Wording { what, key, rename } = wording;
        write!(
            f,
            "two {what} share the {key} `{}`: {} and {}; give one another name with {rename}",
            self.name, self.first, self.second
        )
    }

    /// The public error's `Debug`, as `#[derive(Debug)]` would print a
    /// struct named `error` with this one's fields.
    pub(crate) fn debug(&self, f: &mut fmt::Formatter<'_>, error: &str) -> fmt::Result {
        f.debug_struct(error)
            .field("name", &self.name)
            .field("first", &self.first)
            .field("second", &self.second)
            .finish()
    }
}

impl fmt::Debug for Duplicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.debug(f, "Duplicate")
    }
}
