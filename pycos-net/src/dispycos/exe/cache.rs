//! [`ExeCache`]: a node's executables, each under its digest.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::{Digest, ExeError, check_runnable, digest_file};

/// Who may read, write and run the cache and what is in it: the node's
/// user only, as the executables run with that user's rights.
const OWNER_ONLY: u32 = 0o700;

/// A node's executables, each in a file named by its [`Digest`].
#[derive(Debug, Clone)]
pub(crate) struct ExeCache {
    dir: PathBuf,
}

impl ExeCache {
    /// A cache in `dir`, which is created when missing and made private to
    /// the node's user (mode 0700) in any case.
    ///
    /// # Errors
    ///
    /// [`ExeError::Io`] when the directory cannot be created or its mode
    /// set (another user's directory, say).
    pub(crate) fn new(dir: impl Into<PathBuf>) -> Result<ExeCache, ExeError> {
        let dir = dir.into();
        fs::DirBuilder::new()
            .recursive(true)
            .mode(OWNER_ONLY)
            .create(&dir)
            .map_err(|source| ExeError::io("create", &dir, source))?;
        // `mode` applies only to directories it creates; one that was
        // there already may be open to others.
        fs::set_permissions(&dir, fs::Permissions::from_mode(OWNER_ONLY))
            .map_err(|source| ExeError::io("restrict to its owner", &dir, source))?;
        Ok(ExeCache { dir })
    }

    /// Where the executable with `digest` is, or would be, kept.
    pub(crate) fn path_of(&self, digest: &Digest) -> PathBuf {
        self.dir.join(digest.to_string())
    }

    /// The path of the executable with `digest` when the cache has it.
    ///
    /// A file of that name whose content hashes otherwise (damaged, or
    /// changed by someone) is deleted and reported as missing, so that the
    /// client sends it again.
    ///
    /// # Errors
    ///
    /// [`ExeError::Io`] when the file is there but cannot be read, or a
    /// damaged one cannot be deleted.
    pub(crate) fn lookup(&self, digest: &Digest) -> Result<Option<PathBuf>, ExeError> {
        let path = self.path_of(digest);
        let actual = match digest_file(&path) {
            Ok(actual) => actual,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(ExeError::io("read", &path, source)),
        };
        if actual == *digest {
            return Ok(Some(path));
        }
        tracing::warn!(
            path = %path.display(),
            expected = %digest,
            actual = %actual,
            "a cached executable does not match its name; deleting it"
        );
        fs::remove_file(&path).map_err(|source| ExeError::io("delete", &path, source))?;
        Ok(None)
    }

    /// Takes a received file into the cache as the executable with
    /// `digest`, and gives its path there.
    ///
    /// The file must hash to `digest` and be an executable this machine
    /// can run ([`check_runnable`]); it is then made executable by the
    /// node's user only and renamed into place, so a concurrent
    /// [`lookup`](ExeCache::lookup) sees no file or the whole one. A file
    /// that fails either check is deleted. `received` should be in a
    /// directory only the node writes: it is checked, then moved.
    ///
    /// # Errors
    ///
    /// [`ExeError::Mismatch`] when the content hashes otherwise,
    /// [`ExeError::Foreign`] or [`ExeError::UnsupportedHost`] when it
    /// cannot run here, [`ExeError::Io`] when reading, changing or moving
    /// the file fails.
    pub(crate) fn admit(&self, received: &Path, digest: &Digest) -> Result<PathBuf, ExeError> {
        let actual =
            digest_file(received).map_err(|source| ExeError::io("read", received, source))?;
        let checked = if actual == *digest {
            check_runnable(received)
        } else {
            Err(ExeError::Mismatch {
                expected: *digest,
                actual,
            })
        };
        if let Err(refusal) = checked {
            // A refused file is of no use to anyone; the error says why.
            let _ = fs::remove_file(received);
            return Err(refusal);
        }
        fs::set_permissions(received, fs::Permissions::from_mode(OWNER_ONLY))
            .map_err(|source| ExeError::io("make executable", received, source))?;
        let cached = self.path_of(digest);
        move_into_place(received, &cached)?;
        Ok(cached)
    }
}

/// Renames `from` to `to`, which is atomic; when `from` is on another
/// file system, copies it next to `to` first and renames the copy.
pub(super) fn move_into_place(from: &Path, to: &Path) -> Result<(), ExeError> {
    match fs::rename(from, to) {
        Ok(()) => return Ok(()),
        Err(error) if error.kind() == io::ErrorKind::CrossesDevices => {}
        Err(source) => return Err(ExeError::io("move into the cache", from, source)),
    }
    let partial = to.with_extension("partial");
    let copied = fs::copy(from, &partial).and_then(|_| fs::rename(&partial, to));
    if let Err(source) = copied {
        let _ = fs::remove_file(&partial);
        return Err(ExeError::io("copy into the cache", from, source));
    }
    let _ = fs::remove_file(from);
    Ok(())
}
