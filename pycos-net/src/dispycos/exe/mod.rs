//! The client's executable on its way to the nodes, and the nodes' cache
//! of the executables they were sent.
//!
//! pycos ships a client's code as Python source; a Rust client ships its
//! own executable instead, and a node's servers run it in server mode
//! (DESIGN §4.5). So that a client that comes back with the same build
//! does not send it again, a node keeps each executable under its SHA-256
//! ([`Digest`]) in an [`ExeCache`]: the client announces the digest, the
//! node answers whether [`ExeCache::lookup`] has it, and the client sends
//! the file only when it has not.
//!
//! A name is a claim, not a proof: `lookup` hashes the file again before
//! saying yes, and [`ExeCache::admit`] hashes what was received and
//! checks ([`check_runnable`]) that it is an ELF executable for this
//! machine before it is made executable, so a node never runs bytes other
//! than the ones the client meant, nor tries to run a build for another
//! architecture.

mod cache;
mod digest;
mod elf;
mod error;

use std::path::PathBuf;
use std::sync::OnceLock;

pub(crate) use cache::ExeCache;
pub(crate) use digest::{Digest, digest_file};
pub(crate) use elf::check_runnable;
pub(crate) use error::ExeError;

/// The running program's executable and its digest: what a client ships
/// to the nodes. Computed on the first call; a failure is not kept, so a
/// later call tries again.
///
/// The digest is of the file at the path when it was first read:
/// rebuilding the program while it runs would ship the new build, whose
/// digest then does not match and which the node therefore refuses
/// ([`ExeError::Mismatch`]) rather than running the wrong code.
///
/// # Errors
///
/// [`ExeError::NoCurrentExe`] when the system does not say where the
/// executable is, [`ExeError::Io`] when it cannot be read.
pub(crate) fn current_exe() -> Result<&'static (PathBuf, Digest), ExeError> {
    static CURRENT: OnceLock<(PathBuf, Digest)> = OnceLock::new();
    if let Some(current) = CURRENT.get() {
        return Ok(current);
    }
    let path = std::env::current_exe().map_err(ExeError::NoCurrentExe)?;
    let digest = digest_file(&path).map_err(|source| ExeError::io("read", &path, source))?;
    Ok(CURRENT.get_or_init(|| (path, digest)))
}

#[cfg(test)]
mod tests;
