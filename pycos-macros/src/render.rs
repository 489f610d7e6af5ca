//! Renders user tokens for error messages the way people write them
//! (`task.sleep(1.0)`, `Vec<&str>`), not with a space between every token
//! as `TokenStream`'s `Display` does.
//!
//! It only has to read well for the short types, paths and calls quoted in
//! messages, so the spacing rules are simple: words are separated, binary
//! operators spaced, everything else glued.

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// `tokens` as compact source text.
pub(crate) fn compact(tokens: impl ToTokens) -> String {
    let mut printer = Printer::default();
    printer.stream(tokens.into_token_stream());
    printer.text.trim_end().to_owned()
}

/// What the text ends with, which decides the space before the next token.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Nothing, an opening delimiter, or a space already written.
    #[default]
    Open,
    Word,
    Close,
    /// A prefix or joining punctuation: `&`, `.`, `::`, `'`.
    Glue,
}

#[derive(Default)]
struct Printer {
    text: String,
    last: Last,
}

const BINARY: &[&str] = &[
    "=", "==", "!=", "<=", ">=", "=>", "->", "+", "-", "*", "/", "%", "&", "&&", "||", "+=", "-=",
    "*=", "/=",
];

impl Printer {
    fn stream(&mut self, tokens: TokenStream) {
        let mut op = String::new();
        for tree in tokens {
            if let TokenTree::Punct(punct) = &tree {
                op.push(punct.as_char());
                if punct.spacing() == Spacing::Alone || punct.as_char() == '\'' {
                    self.op(&std::mem::take(&mut op));
                }
                continue;
            }
            if !op.is_empty() {
                self.op(&std::mem::take(&mut op));
            }
            match tree {
                TokenTree::Group(group) => self.group(&group),
                other => self.word(&other.to_string()),
            }
        }
        if !op.is_empty() {
            self.op(&op);
        }
    }

    fn space_if(&mut self, lasts: &[Last]) {
        if lasts.contains(&self.last) {
            self.text.push(' ');
        }
    }

    fn word(&mut self, word: &str) {
        self.space_if(&[Last::Word, Last::Close]);
        self.text.push_str(word);
        self.last = Last::Word;
    }

    fn op(&mut self, op: &str) {
        if BINARY.contains(&op) && matches!(self.last, Last::Word | Last::Close) {
            self.text.extend([" ", op, " "]);
            self.last = Last::Open;
            return;
        }
        if op == "'" {
            self.space_if(&[Last::Word, Last::Close]);
        }
        self.text.push_str(op);
        self.last = match op {
            "," | ";" | ":" => {
                self.text.push(' ');
                Last::Open
            }
            ">" | "?" => Last::Close,
            _ => Last::Glue,
        };
    }

    fn group(&mut self, group: &Group) {
        let (open, close) = match group.delimiter() {
            Delimiter::Parenthesis => ("(", ")"),
            Delimiter::Bracket => ("[", "]"),
            Delimiter::Brace => ("{", "}"),
            Delimiter::None => return self.stream(group.stream()),
        };
        if open == "{" {
            self.space_if(&[Last::Word, Last::Close]);
        }
        self.text.push_str(open);
        self.last = Last::Open;
        let inner = group.stream();
        let braced = open == "{" && !inner.is_empty();
        if braced {
            self.text.push(' ');
        }
        self.stream(inner);
        if braced {
            self.text.push(' ');
        } else if self.text.ends_with(' ') {
            self.text.pop(); // after a trailing comma
        }
        self.text.push_str(close);
        self.last = Last::Close;
    }
}
