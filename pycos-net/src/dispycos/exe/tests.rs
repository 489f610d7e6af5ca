use super::cache::move_into_place;
use super::digest::{ParseDigestError, READ_CHUNK};
use super::*;
use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
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
