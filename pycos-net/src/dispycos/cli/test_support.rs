//! Helpers for this module's tests: a scratch directory and argv builders.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{CliError, Parsed};

/// A fresh directory under the system temp dir, removed on drop.
#[derive(Debug)]
pub(crate) struct ScratchDir(PathBuf);

impl ScratchDir {
    pub(crate) fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "pycos-cli-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).expect("create a scratch directory");
        Self(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    pub(crate) fn file(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An argv from words.
pub(crate) fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| (*word).to_owned()).collect()
}

/// The options of a parse that must succeed and run.
pub(crate) fn run<T: std::fmt::Debug>(parsed: Result<Parsed<T>, CliError>) -> T {
    match parsed {
        Ok(Parsed::Run(options)) => options,
        other => panic!("expected options to run with, got {other:?}"),
    }
}

/// The message of a parse that must fail.
pub(crate) fn error<T: std::fmt::Debug>(parsed: Result<Parsed<T>, CliError>) -> String {
    match parsed {
        Err(error) => error.to_string(),
        other => panic!("expected an error, got {other:?}"),
    }
}
