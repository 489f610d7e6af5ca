//! `--config` / `--save_config` files: the subset of Python configparser's
//! INI format that pycos' dispycosnode reads and writes.
//!
//! Options live in the `[DEFAULT]` section, one `key = value` (or
//! `key: value`) per line; `#` and `;` start comment lines. Values may be
//! written plainly or as the Python literals pycos saves (`'text'`,
//! `True`, `['9706', '9707']`), so a file saved by either implementation
//! loads in the other.

use std::path::Path;

use super::CliError;

/// The `[DEFAULT]` entries of a file, keys lowercased, in file order.
pub(crate) fn read(path: &Path) -> Result<Vec<(String, String)>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|error| CliError::config(path, error))?;
    parse(&text).map_err(|detail| CliError::config(path, detail))
}

fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut section = None;
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.trim().to_owned());
            continue;
        }
        let number = index + 1;
        let Some(at) = line.find(['=', ':']) else {
            return Err(format!("line {number} is not \"key = value\""));
        };
        match section.as_deref() {
            None => return Err(format!("line {number} comes before the [DEFAULT] header")),
            Some("DEFAULT") => {
                let key = line[..at].trim().to_lowercase();
                entries.push((key, line[at + 1..].trim().to_owned()));
            }
            // Other sections are not ours (pycos reads DEFAULT only).
            Some(_) => {}
        }
    }
    Ok(entries)
}

/// The values a config entry gives: none for an empty value or `None`,
/// each item of a `[...]` list, or the one (unquoted) value.
pub(crate) fn values(raw: &str) -> Vec<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw == "None" {
        return Vec::new();
    }
    match raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(items) => items
            .split(',')
            .map(|item| unquote(item.trim()))
            .filter(|item| !item.is_empty())
            .collect(),
        None => vec![unquote(raw)],
    }
}

/// A config flag value as clap's `true` / `false`; other text is passed on
/// for clap to refuse with the option's name.
pub(crate) fn flag(value: &str) -> String {
    match value.to_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => "true".to_owned(),
        "false" | "no" | "off" | "0" => "false".to_owned(),
        _ => value.to_owned(),
    }
}

/// The inside of a `'...'` or `"..."` literal with its escapes undone, or
/// the text itself when it is not quoted.
fn unquote(text: &str) -> String {
    let quoted = ['\'', '"']
        .into_iter()
        .find_map(|q| text.strip_prefix(q).and_then(|t| t.strip_suffix(q)));
    let Some(inner) = quoted.filter(|_| text.len() >= 2) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next @ ('\\' | '\'' | '"'))) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// `text` as a Python string literal (single quotes, escapes for `\` and
/// `'`), unless it reads as a number, which is written plainly.
pub(crate) fn literal(text: &str) -> String {
    if text.parse::<f64>().is_ok() && !text.contains(['i', 'I', 'n', 'N']) {
        return text.to_owned();
    }
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Values as a Python list literal of strings, as pycos writes lists.
pub(crate) fn list(values: &[String]) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|value| format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'")))
        .collect();
    format!("[{}]", items.join(", "))
}

/// A flag as the Python literal pycos writes.
pub(crate) fn bool_literal(on: bool) -> &'static str {
    if on { "True" } else { "False" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_entries_are_read_in_order_and_other_sections_skipped() {
        let text = "# saved\n[DEFAULT]\nCpus = 2\nname: node1\n\n[other]\ncpus = 9\n";
        let entries = parse(text).unwrap();
        let expected = [("cpus", "2"), ("name", "node1")].map(|(k, v)| (k.into(), v.into()));
        assert_eq!(entries, expected);
    }

    #[test]
    fn bad_lines_are_named_by_number() {
        assert_eq!(
            parse("[DEFAULT]\ncpus 2\n").unwrap_err(),
            "line 2 is not \"key = value\""
        );
        let early = parse("cpus = 2\n[DEFAULT]\n").unwrap_err();
        assert_eq!(early, "line 1 comes before the [DEFAULT] header");
    }

    #[test]
    fn python_literals_read_as_values() {
        assert_eq!(values("'secret'"), ["secret"]);
        assert_eq!(values("\"it\\'s\""), ["it's"]);
        assert_eq!(values("plain text"), ["plain text"]);
        assert_eq!(values("['9706', '9710-9712']"), ["9706", "9710-9712"]);
        assert!(values("[]").is_empty());
        assert!(values("").is_empty());
        assert!(values("None").is_empty());
        assert_eq!(values("'"), ["'"]);
    }

    #[test]
    fn literals_round_trip_through_values() {
        for text in ["10", "2.5", "a'b\\c", "x", "nan", "127.0.0.1"] {
            assert_eq!(values(&literal(text)), [text], "{text}");
        }
        let items = ["a".to_owned(), "b'c".to_owned()];
        assert_eq!(values(&list(&items)), items);
        assert_eq!(literal("10"), "10");
        assert_eq!(literal("name"), "'name'");
    }

    #[test]
    fn flags_accept_python_and_ini_spellings() {
        for on in ["True", "yes", "on", "1"] {
            assert_eq!(flag(on), "true");
        }
        for off in ["False", "no", "OFF", "0"] {
            assert_eq!(flag(off), "false");
        }
        assert_eq!(flag("maybe"), "maybe");
    }
}
