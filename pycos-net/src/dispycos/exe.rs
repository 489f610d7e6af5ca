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

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

/// How much of a file [`digest_file`] reads at a time.
const READ_CHUNK: usize = 64 * 1024;
/// Who may read, write and run the cache and what is in it: the node's
/// user only, as the executables run with that user's rights.
const OWNER_ONLY: u32 = 0o700;

/// A SHA-256 digest: the name of an executable in an [`ExeCache`].
///
/// It is written as 64 lowercase hex digits, and parsed ([`FromStr`])
/// only from that form, so that one digest has one file name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) struct Digest([u8; 32]);

impl Digest {
    /// The SHA-256 digest of `bytes`.
    #[cfg(test)]
    pub(crate) fn of(bytes: &[u8]) -> Digest {
        Digest::from_ring(ring::digest::digest(&ring::digest::SHA256, bytes))
    }

    fn from_ring(digest: ring::digest::Digest) -> Digest {
        let mut bytes = [0; 32];
        // SHA-256 gives 32 bytes by definition; `ring` types them as a slice.
        bytes.copy_from_slice(digest.as_ref());
        Digest(bytes)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

impl FromStr for Digest {
    type Err = ParseDigestError;

    fn from_str(hex: &str) -> Result<Digest, ParseDigestError> {
        let digits = hex.as_bytes();
        if digits.len() != 64 {
            return Err(ParseDigestError::Length(digits.len()));
        }
        let mut bytes = [0; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            let nibble = |at: usize| hex_value(digits[at]).ok_or(ParseDigestError::Digit(at));
            *byte = nibble(2 * i)? << 4 | nibble(2 * i + 1)?;
        }
        Ok(Digest(bytes))
    }
}

/// The value of one lowercase hex digit.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

/// Why a text is not a [`Digest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseDigestError {
    /// The text has this many bytes instead of 64 hex digits.
    Length(usize),
    /// The byte at this offset is not a lowercase hex digit.
    Digit(usize),
}

impl fmt::Display for ParseDigestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseDigestError::Length(length) => write!(
                f,
                "a SHA-256 digest is 64 hex digits, this text has {length} bytes"
            ),
            ParseDigestError::Digit(at) => write!(
                f,
                "a SHA-256 digest is 64 lowercase hex digits, byte {at} is not one"
            ),
        }
    }
}

impl std::error::Error for ParseDigestError {}

/// The SHA-256 digest of the file at `path`, read 64 KiB at a time so a
/// large executable never sits in memory whole.
///
/// # Errors
///
/// Whatever opening or reading the file gives.
pub(crate) fn digest_file(path: &Path) -> io::Result<Digest> {
    let mut file = File::open(path)?;
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut chunk = vec![0; READ_CHUNK];
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return Ok(Digest::from_ring(context.finish())),
            Ok(read) => context.update(&chunk[..read]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}

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
fn move_into_place(from: &Path, to: &Path) -> Result<(), ExeError> {
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

/// Checks that the file at `path` is an ELF executable this machine can
/// run: same word size, byte order and architecture as this build, for
/// System V or Linux, and an executable or position-independent one
/// rather than an object file.
///
/// Only the header is read; a file that passes may still need libraries
/// this machine lacks, which running it then reports.
///
/// # Errors
///
/// [`ExeError::Foreign`] naming what the file is instead,
/// [`ExeError::UnsupportedHost`] when this build does not know its own
/// ELF machine number, [`ExeError::Io`] when the file cannot be read.
pub(crate) fn check_runnable(path: &Path) -> Result<(), ExeError> {
    let mut header = Vec::with_capacity(elf::HEADER_PREFIX);
    File::open(path)
        .and_then(|file| {
            file.take(elf::HEADER_PREFIX as u64)
                .read_to_end(&mut header)
        })
        .map_err(|source| ExeError::io("read", path, source))?;
    elf::check_header(&header)
}

/// Just enough of the ELF header (the System V ABI's `Elf32_Ehdr` and
/// `Elf64_Ehdr`, which agree on their first 20 bytes) to tell whether a
/// file could run here.
mod elf {
    use super::ExeError;

    /// `e_ident` (16 bytes), `e_type` and `e_machine` (2 bytes each).
    pub(super) const HEADER_PREFIX: usize = 20;
    const MAGIC: &[u8; 4] = b"\x7fELF";
    const CLASS_64: u8 = 2;
    const DATA_LITTLE: u8 = 1;
    const OS_ABI_SYSV: u8 = 0;
    const OS_ABI_LINUX: u8 = 3;
    const TYPE_EXEC: u16 = 2;
    const TYPE_DYN: u16 = 3;

    /// The `e_machine` of the architecture this build is for.
    const HOST_MACHINE: Option<u16> = if cfg!(target_arch = "x86_64") {
        Some(62)
    } else if cfg!(target_arch = "aarch64") {
        Some(183)
    } else if cfg!(target_arch = "x86") {
        Some(3)
    } else if cfg!(target_arch = "arm") {
        Some(40)
    } else if cfg!(any(target_arch = "riscv64", target_arch = "riscv32")) {
        Some(243)
    } else if cfg!(target_arch = "powerpc64") {
        Some(21)
    } else if cfg!(target_arch = "s390x") {
        Some(22)
    } else if cfg!(target_arch = "loongarch64") {
        Some(258)
    } else {
        None
    };

    /// What people call the architecture with ELF machine number `machine`.
    fn machine_name(machine: u16) -> String {
        let name = match machine {
            3 => "x86",
            8 => "mips",
            20 => "powerpc",
            21 => "powerpc64",
            22 => "s390x",
            40 => "arm",
            62 => "x86_64",
            183 => "aarch64",
            243 => "riscv",
            258 => "loongarch",
            other => return format!("ELF machine {other}"),
        };
        name.to_owned()
    }

    pub(super) fn check_header(header: &[u8]) -> Result<(), ExeError> {
        if !header.starts_with(MAGIC) {
            return foreign("not an ELF executable");
        }
        if header.len() < HEADER_PREFIX {
            return foreign("an ELF file cut short inside its header");
        }
        let word = |is_64: bool| if is_64 { "64-bit" } else { "32-bit" };
        let host_64 = cfg!(target_pointer_width = "64");
        if (header[4] == CLASS_64) != host_64 {
            return foreign(format!(
                "a {} ELF, this node runs {} ones",
                word(!host_64),
                word(host_64)
            ));
        }
        let little = header[5] == DATA_LITTLE;
        if little != cfg!(target_endian = "little") {
            let order = if little { "little" } else { "big" };
            return foreign(format!("a {order}-endian ELF, this node is not"));
        }
        if !matches!(header[7], OS_ABI_SYSV | OS_ABI_LINUX) {
            return foreign(format!("an ELF for another OS (OS ABI {})", header[7]));
        }
        let half = |at: usize| {
            let bytes = [header[at], header[at + 1]];
            if little {
                u16::from_le_bytes(bytes)
            } else {
                u16::from_be_bytes(bytes)
            }
        };
        check_machine(half(18))?;
        match half(16) {
            TYPE_EXEC | TYPE_DYN => Ok(()),
            other => foreign(format!("an ELF that is not an executable (e_type {other})")),
        }
    }

    fn check_machine(machine: u16) -> Result<(), ExeError> {
        let host = HOST_MACHINE.ok_or(ExeError::UnsupportedHost {
            arch: std::env::consts::ARCH,
        })?;
        if machine == host {
            return Ok(());
        }
        foreign(format!(
            "an ELF for {}, this node is {}",
            machine_name(machine),
            machine_name(host)
        ))
    }

    fn foreign(what: impl Into<String>) -> Result<(), ExeError> {
        Err(ExeError::Foreign { what: what.into() })
    }
}

/// Why an executable could not be found, hashed, cached or run here.
#[derive(Debug)]
pub(crate) enum ExeError {
    /// A file operation failed.
    Io {
        /// What was being done, as a verb: "read", "create", …
        action: &'static str,
        /// What it was done to.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The system would not say where this program's executable is.
    NoCurrentExe(io::Error),
    /// The file's content does not hash to the digest it was sent under.
    Mismatch {
        /// The digest it was sent under.
        expected: Digest,
        /// The digest of what arrived.
        actual: Digest,
    },
    /// The file is not an executable this machine can run.
    Foreign {
        /// What the file is instead, e.g. "an ELF for aarch64, this node
        /// is x86_64".
        what: String,
    },
    /// This node's architecture is not one whose ELF machine number this
    /// build knows, so no executable can be checked.
    UnsupportedHost {
        /// The architecture, as Rust names it.
        arch: &'static str,
    },
}

impl ExeError {
    fn io(action: &'static str, path: impl AsRef<Path>, source: io::Error) -> ExeError {
        let path = path.as_ref().to_owned();
        ExeError::Io {
            action,
            path,
            source,
        }
    }
}

impl fmt::Display for ExeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExeError::Io {
                action,
                path,
                source,
            } => {
                write!(f, "could not {action} {}: {source}", path.display())
            }
            ExeError::NoCurrentExe(source) => {
                write!(f, "could not find this program's executable: {source}")
            }
            ExeError::Mismatch { expected, actual } => write!(
                f,
                "the executable received as {expected} hashes to {actual}; it was damaged \
                 on the way or changed since it was hashed, so send it again"
            ),
            ExeError::Foreign { what } => write!(
                f,
                "the client's executable cannot run on this node: {what}; build the client \
                 for this node's platform"
            ),
            ExeError::UnsupportedHost { arch } => write!(
                f,
                "this node's architecture ({arch}) is not one whose executables dispycos \
                 knows how to check"
            ),
        }
    }
}

impl std::error::Error for ExeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExeError::Io { source, .. } | ExeError::NoCurrentExe(source) => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// SHA-256 of "abc" (FIPS 180-2, appendix B.1).
    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /// A fresh directory under the system's temporary one, removed with
    /// everything in it when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let name = format!(
                "pycos-exe-test-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            let dir = std::env::temp_dir().join(name);
            fs::create_dir(&dir).expect("a fresh temporary directory");
            TempDir(dir)
        }

        fn file(&self, name: &str, content: &[u8]) -> PathBuf {
            let path = self.0.join(name);
            fs::write(&path, content).expect("a test file written");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn own_exe() -> Vec<u8> {
        fs::read(std::env::current_exe().expect("the test binary's path"))
            .expect("the test binary readable")
    }

    /// A copy of this test binary whose `e_machine` names another
    /// architecture than ours.
    fn foreign_exe() -> (Vec<u8>, &'static str) {
        let mut exe = own_exe();
        let (machine, name) = if cfg!(target_arch = "aarch64") {
            (62_u16, "x86_64")
        } else {
            (183, "aarch64")
        };
        let bytes = if cfg!(target_endian = "little") {
            machine.to_le_bytes()
        } else {
            machine.to_be_bytes()
        };
        exe[18..20].copy_from_slice(&bytes);
        (exe, name)
    }

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path)
            .expect("the file is there")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn a_digest_is_shown_and_parsed_as_lowercase_hex() {
        let digest = Digest::of(b"abc");
        assert_eq!(digest.to_string(), ABC);
        assert_eq!(ABC.parse::<Digest>(), Ok(digest));
        assert_eq!(format!("{digest:?}"), format!("Digest({ABC})"));
    }

    #[test]
    fn text_that_is_not_64_lowercase_hex_digits_is_no_digest() {
        assert_eq!("".parse::<Digest>(), Err(ParseDigestError::Length(0)));
        assert_eq!(
            ABC[1..].parse::<Digest>(),
            Err(ParseDigestError::Length(63))
        );
        let long = format!("{ABC}0");
        assert_eq!(long.parse::<Digest>(), Err(ParseDigestError::Length(65)));
        let upper = ABC.to_uppercase();
        assert_eq!(upper.parse::<Digest>(), Err(ParseDigestError::Digit(0)));
        let bad_last = format!("{}g", &ABC[..63]);
        assert_eq!(bad_last.parse::<Digest>(), Err(ParseDigestError::Digit(63)));
        // 62 ASCII digits and one two-byte character: 64 bytes, not hex.
        let multibyte = format!("{}é", &ABC[..62]);
        assert_eq!(
            multibyte.parse::<Digest>(),
            Err(ParseDigestError::Digit(62))
        );
        let error = ParseDigestError::Digit(62).to_string();
        assert!(error.contains("byte 62"), "{error}");
    }

    #[test]
    fn digest_file_streams_the_sha256_of_a_file() {
        let dir = TempDir::new();
        let abc = dir.file("abc", b"abc");
        assert_eq!(digest_file(&abc).expect("a readable file").to_string(), ABC);
        // Longer than one read, and not a multiple of it.
        let big: Vec<u8> = (0..3 * READ_CHUNK + 17).map(|i| i as u8).collect();
        let big_path = dir.file("big", &big);
        assert_eq!(
            digest_file(&big_path).expect("a readable file"),
            Digest::of(&big)
        );
    }

    #[test]
    fn digest_file_of_a_missing_file_is_an_error() {
        let dir = TempDir::new();
        let error = digest_file(&dir.0.join("missing")).expect_err("no file");
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn current_exe_is_this_binary_and_computed_once() {
        let (path, digest) = current_exe().expect("the test binary is readable");
        assert_eq!(*path, std::env::current_exe().expect("a path"));
        assert_eq!(*digest, Digest::of(&own_exe()));
        let again = current_exe().expect("kept");
        assert!(std::ptr::eq(again, current_exe().expect("kept")));
    }

    #[test]
    fn a_new_cache_directory_is_private() {
        let dir = TempDir::new();
        let cache_dir = dir.0.join("cache/exe");
        let cache = ExeCache::new(&cache_dir).expect("a cache directory");
        assert_eq!(mode_of(&cache_dir), 0o700);
        let digest = Digest::of(b"abc");
        assert_eq!(cache.path_of(&digest), cache_dir.join(ABC));
        // One that exists already, open to all, is closed to others.
        fs::set_permissions(&cache_dir, fs::Permissions::from_mode(0o777)).expect("chmod");
        ExeCache::new(&cache_dir).expect("the same directory again");
        assert_eq!(mode_of(&cache_dir), 0o700);
    }

    #[test]
    fn lookup_finds_a_file_that_matches_its_name() {
        let dir = TempDir::new();
        let cache = ExeCache::new(dir.0.join("cache")).expect("a cache");
        let digest = Digest::of(b"abc");
        assert_eq!(cache.lookup(&digest).expect("no error"), None);
        fs::write(cache.path_of(&digest), b"abc").expect("a cached file");
        assert_eq!(
            cache.lookup(&digest).expect("no error"),
            Some(cache.path_of(&digest))
        );
    }

    #[test]
    fn lookup_deletes_a_tampered_file_and_reports_it_missing() {
        let dir = TempDir::new();
        let cache = ExeCache::new(dir.0.join("cache")).expect("a cache");
        let digest = Digest::of(b"abc");
        let path = cache.path_of(&digest);
        fs::write(&path, b"abd").expect("a tampered file");
        assert_eq!(cache.lookup(&digest).expect("no error"), None);
        assert!(!path.exists(), "the tampered file was deleted");
    }

    #[test]
    fn admit_moves_a_good_executable_into_place_runnable_by_its_owner() {
        let dir = TempDir::new();
        let cache = ExeCache::new(dir.0.join("cache")).expect("a cache");
        let exe = own_exe();
        let received = dir.file("received", &exe);
        let digest = Digest::of(&exe);
        let cached = cache.admit(&received, &digest).expect("a good executable");
        assert_eq!(cached, cache.path_of(&digest));
        assert!(!received.exists(), "moved, not copied");
        assert_eq!(mode_of(&cached), 0o700);
        assert_eq!(cache.lookup(&digest).expect("no error"), Some(cached));
    }

    #[test]
    fn a_file_on_another_file_system_is_copied_into_place() {
        use std::os::unix::fs::MetadataExt;
        let dir = TempDir::new();
        let other = Path::new("/dev/shm");
        let device = |path: &Path| fs::metadata(path).map(|m| m.dev()).ok();
        if device(other).is_none() || device(other) == device(&dir.0) {
            eprintln!("no second file system at /dev/shm: the copy path is not tested");
            return;
        }
        let from = other.join(format!("pycos-exe-test-{}", std::process::id()));
        fs::write(&from, b"abc").expect("a file on /dev/shm");
        let to = dir.0.join("moved");
        let moved = move_into_place(&from, &to);
        let original_left = from.exists();
        let _ = fs::remove_file(&from);
        moved.expect("copied across file systems");
        assert_eq!(fs::read(&to).expect("the copy is there"), b"abc");
        assert!(!original_left, "the original was removed");
        assert!(
            !to.with_extension("partial").exists(),
            "no partial file left"
        );
    }

    #[test]
    fn admit_deletes_a_file_that_does_not_match_its_digest() {
        let dir = TempDir::new();
        let cache = ExeCache::new(dir.0.join("cache")).expect("a cache");
        let received = dir.file("received", b"abd");
        let expected = Digest::of(b"abc");
        match cache.admit(&received, &expected) {
            Err(ExeError::Mismatch {
                expected: e,
                actual,
            }) => {
                assert_eq!(e, expected);
                assert_eq!(actual, Digest::of(b"abd"));
            }
            other => panic!("expected a mismatch, got {other:?}"),
        }
        assert!(!received.exists(), "the bad file was deleted");
        assert!(!cache.path_of(&expected).exists(), "nothing was cached");
    }

    #[test]
    fn admit_refuses_an_executable_for_another_architecture() {
        let dir = TempDir::new();
        let cache = ExeCache::new(dir.0.join("cache")).expect("a cache");
        let (exe, _) = foreign_exe();
        let received = dir.file("received", &exe);
        let digest = Digest::of(&exe);
        let error = cache.admit(&received, &digest).expect_err("another arch");
        assert!(matches!(error, ExeError::Foreign { .. }), "{error:?}");
        assert!(!received.exists() && !cache.path_of(&digest).exists());
    }

    #[test]
    fn our_own_executable_is_runnable() {
        let path = std::env::current_exe().expect("the test binary's path");
        check_runnable(&path).expect("this binary runs here");
    }

    #[test]
    fn a_text_file_is_not_runnable() {
        let dir = TempDir::new();
        let script = dir.file("script", b"#!/bin/sh\necho hello\n");
        let error = check_runnable(&script).expect_err("not an ELF");
        match &error {
            ExeError::Foreign { what } => assert_eq!(what, "not an ELF executable"),
            other => panic!("expected Foreign, got {other:?}"),
        }
        assert!(
            error.to_string().contains("cannot run on this node"),
            "{error}"
        );
    }

    #[test]
    fn an_executable_for_another_architecture_is_named_as_such() {
        let dir = TempDir::new();
        let (exe, arch) = foreign_exe();
        let path = dir.file("foreign", &exe);
        let what = match check_runnable(&path) {
            Err(ExeError::Foreign { what }) => what,
            other => panic!("expected Foreign, got {other:?}"),
        };
        let ours = std::env::consts::ARCH;
        assert_eq!(what, format!("an ELF for {arch}, this node is {ours}"));
    }

    #[test]
    fn headers_of_other_kinds_of_elf_are_refused() {
        let mut header = own_exe()[..elf::HEADER_PREFIX].to_vec();
        assert!(elf::check_header(&header).is_ok());
        let refused = |header: &[u8]| match elf::check_header(header) {
            Err(ExeError::Foreign { what }) => what,
            other => panic!("expected Foreign, got {other:?}"),
        };
        assert!(refused(&header[..10]).contains("cut short"));
        assert!(refused(b"\x7fEL").contains("not an ELF"));
        let mut other_class = header.clone();
        other_class[4] = if cfg!(target_pointer_width = "64") {
            1
        } else {
            2
        };
        assert!(refused(&other_class).contains("-bit ELF"));
        let mut other_os = header.clone();
        other_os[7] = 9; // FreeBSD
        assert!(refused(&other_os).contains("OS ABI 9"));
        let object_file = if cfg!(target_endian = "little") {
            [1, 0]
        } else {
            [0, 1]
        };
        header[16..18].copy_from_slice(&object_file);
        assert!(refused(&header).contains("not an executable"));
    }

    #[test]
    fn every_error_is_one_line() {
        let digest = Digest::of(b"abc");
        let errors = [
            ExeError::io("read", "/x", io::Error::other("boom")),
            ExeError::NoCurrentExe(io::Error::other("boom")),
            ExeError::Mismatch {
                expected: digest,
                actual: Digest::of(b"abd"),
            },
            ExeError::Foreign {
                what: "not an ELF executable".into(),
            },
            ExeError::UnsupportedHost { arch: "sparc64" },
        ];
        for error in errors {
            let text = error.to_string();
            assert!(!text.is_empty() && !text.contains('\n'), "{text:?}");
        }
    }
}
