//! A self-signed certificate for the TLS tests
//! (`#[path = "support/tls.rs"] mod tls;`), written as PEM files once per
//! test binary.
#![allow(dead_code, reason = "each test file uses a subset")]

use std::path::PathBuf;
use std::sync::OnceLock;

/// PEM files of a certificate and its key.
pub(crate) struct Pem {
    pub(crate) cert: PathBuf,
    pub(crate) key: PathBuf,
}

/// A certificate for `localhost` and 127.0.0.1.
pub(crate) fn pem() -> &'static Pem {
    static PEM: OnceLock<Pem> = OnceLock::new();
    PEM.get_or_init(|| make_pem("server", &["localhost", "127.0.0.1"]))
}

/// A new certificate for `names`, in files named after `tag`.
pub(crate) fn make_pem(tag: &str, names: &[&str]) -> Pem {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let certified = rcgen::generate_simple_self_signed(names).unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{}-{}",
        module_path!().replace("::", "-"),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let pem = Pem {
        cert: dir.join(format!("{tag}-cert.pem")),
        key: dir.join(format!("{tag}-key.pem")),
    };
    std::fs::write(&pem.cert, certified.cert.pem()).unwrap();
    std::fs::write(&pem.key, certified.signing_key.serialize_pem()).unwrap();
    pem
}
