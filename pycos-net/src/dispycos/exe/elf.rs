//! Whether a file is an executable this machine can run, from just enough of the ELF header (the System V ABI's `Elf32_Ehdr` and
//! `Elf64_Ehdr`, which agree on their first 20 bytes) to tell whether a
//! file could run here.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::ExeError;

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
    let mut header = Vec::with_capacity(HEADER_PREFIX);
    File::open(path)
        .and_then(|file| file.take(HEADER_PREFIX as u64).read_to_end(&mut header))
        .map_err(|source| ExeError::io("read", path, source))?;
    check_header(&header)
}

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
