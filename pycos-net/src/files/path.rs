//! Keeping received files under `dest_path`.
//!
//! A request names a file by a directory and a name. Both are checked
//! twice: lexically (on both sides: no absolute directory, no `..`, a
//! name that is one plain component), and then on the receiver's disk,
//! component by component from `dest_path` down: a component that is a
//! symbolic link must lead (fully resolved) to a place inside `dest_path`,
//! and a missing one is created only after the ones above it passed. So a
//! link planted in `dest_path` cannot take a file (or a new directory)
//! out of it. The file itself is never opened through a link: a partial
//! file is opened with `O_NOFOLLOW`, and the finished file replaces the
//! name by `rename`, which replaces a link rather than its target.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::wire::{Fault, Refusal};

/// Checks a directory given to `send_file` or `del_file`: `None` or empty
/// is `dest_path` itself; otherwise relative components separated by `/`
/// (`.` and empty ones are skipped).
///
/// # Errors
///
/// The text, for an absolute directory or one with a `..` component.
pub(crate) fn parse_dir(dir: Option<&str>) -> Result<Vec<String>, String> {
    let Some(dir) = dir else {
        return Ok(Vec::new());
    };
    if dir.starts_with('/') {
        return Err(format!("the directory {dir:?} is absolute"));
    }
    check_dir(dir.split('/').map(str::to_owned).collect())
}

/// Checks components that came from a peer (or from [`parse_dir`]).
pub(crate) fn check_dir(parts: Vec<String>) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        match part.as_str() {
            "" | "." => {}
            ".." => return Err("the directory has a `..` component".to_owned()),
            _ if part.contains(['/', '\0']) => {
                return Err(format!("the directory component {part:?} is not one name"));
            }
            _ => out.push(part),
        }
    }
    Ok(out)
}

/// Checks a file name: one plain component.
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\0']) {
        return Err(format!("{name:?} is not a file name"));
    }
    Ok(())
}

/// The directory `dest/dir…` on disk, checked component by component
/// (see the module doc); missing directories are created when `create`.
///
/// # Errors
///
/// [`Fault::Escape`] for a link out of `dest`, [`Fault::NotFound`] for a
/// missing directory when not creating, [`Fault::Io`] otherwise.
pub(crate) fn resolve_dir(dest: &Path, dir: &[String], create: bool) -> Result<PathBuf, Refusal> {
    let io = |what: &str, path: &Path, err: io::Error| {
        Refusal::new(Fault::Io, format!("{what} {}: {err}", path.display()))
    };
    if create {
        fs::create_dir_all(dest).map_err(|err| io("cannot create", dest, err))?;
    }
    let root = fs::canonicalize(dest).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => Refusal::new(
            Fault::NotFound,
            format!("{} does not exist", dest.display()),
        ),
        _ => io("cannot resolve", dest, err),
    })?;
    let mut here = root.clone();
    for part in dir {
        let next = here.join(part);
        match fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::canonicalize(&next).map_err(|_| {
                    Refusal::new(
                        Fault::Escape,
                        format!("{} is a link that leads nowhere", next.display()),
                    )
                })?;
                if !target.starts_with(&root) {
                    return Err(Refusal::new(
                        Fault::Escape,
                        format!("{} is a link out of {}", next.display(), root.display()),
                    ));
                }
                if !target.is_dir() {
                    return Err(Refusal::new(
                        Fault::Io,
                        format!("{} is not a directory", next.display()),
                    ));
                }
                here = target;
            }
            Ok(meta) if meta.is_dir() => here = next,
            Ok(_) => {
                return Err(Refusal::new(
                    Fault::Io,
                    format!("{} is not a directory", next.display()),
                ));
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound && create => {
                fs::create_dir(&next).map_err(|err| io("cannot create", &next, err))?;
                here = next;
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Err(Refusal::new(
                    Fault::NotFound,
                    format!("{} does not exist", next.display()),
                ));
            }
            Err(err) => return Err(io("cannot examine", &next, err)),
        }
    }
    Ok(here)
}

/// pycos' `dest_path` setter: `path` as the new `dest_path`, kept under
/// `prefix` (the node's first `dest_path`). An absolute path under the
/// prefix is kept; any other is put under it: a relative one joined to
/// it, an absolute one re-rooted there. `..` components are resolved
/// lexically first and can never climb above the prefix.
pub(crate) fn under_prefix(prefix: &Path, path: &Path) -> PathBuf {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::RootDir | Component::Prefix(_) => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(part) => parts.push(part),
        }
    }
    let normal: PathBuf = parts.iter().collect();
    if absolute {
        let full = Path::new("/").join(&normal);
        if full.starts_with(prefix) {
            return full;
        }
    }
    prefix.join(normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_relative_without_parent_steps() {
        assert_eq!(parse_dir(None), Ok(vec![]));
        assert_eq!(parse_dir(Some("")), Ok(vec![]));
        assert_eq!(
            parse_dir(Some("a/./b//c/")),
            Ok(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
        );
        assert!(parse_dir(Some("/etc")).is_err());
        assert!(parse_dir(Some("a/../../b")).is_err());
        assert!(parse_dir(Some("..")).is_err());
        assert!(check_dir(vec!["a/b".to_owned()]).is_err());
        assert!(check_name("x.txt").is_ok());
        for bad in ["", ".", "..", "a/b", "a\0"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_new_dest_path_stays_under_the_prefix() {
        let prefix = Path::new("/tmp/pycos");
        let cases = [
            ("/tmp/pycos/node", "/tmp/pycos/node"),
            ("node/a", "/tmp/pycos/node/a"),
            ("/var/x", "/tmp/pycos/var/x"),
            ("../../etc", "/tmp/pycos/etc"),
            ("/tmp/pycos/../etc", "/tmp/pycos/tmp/etc"),
            ("/tmp/pycosx", "/tmp/pycos/tmp/pycosx"),
        ];
        for (given, want) in cases {
            assert_eq!(
                under_prefix(prefix, Path::new(given)),
                Path::new(want),
                "{given}"
            );
        }
    }
}
