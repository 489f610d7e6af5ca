//! What a node reports of itself: its CPUs, platform and memory once, and
//! at every pulse how busy its CPUs are and how much memory, disk and swap
//! it has left (pycos' `DispycosNodeAvailInfo`).
//!
//! pycos asks psutil and reports nothing when psutil is missing; here the
//! numbers come from `/proc` and `statvfs(2)`, so on Linux they are always
//! there. Each reading is its own `Option`: a file that cannot be read, or
//! text this code does not understand, costs that one reading and never
//! panics. The parsers are pure functions over the text so that tests can
//! feed them any text, malformed text included.
//!
//! pycos reports the *idle* share of the CPUs and the *free* share of swap
//! (`100 - psutil.cpu_percent()`, `100 - swap.percent`); [`Avail`] holds
//! the busy and used shares, as psutil measures them, and whoever builds
//! the wire message converts.

use std::path::Path;

/// Where the kernel keeps the CPU time counters (`proc_stat(5)`).
const PROC_STAT: &str = "/proc/stat";
/// Where the kernel keeps the memory and swap counters (`proc_meminfo(5)`).
const PROC_MEMINFO: &str = "/proc/meminfo";

/// How many tasks this machine can run at once: its CPUs, less any the
/// process may not use (affinity masks, cgroup quotas), and 1 when that
/// cannot be known.
pub(crate) fn cpu_count() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The platform, lowercased, in the shape of Python's
/// `platform.platform()` that pycos matches `DispycosNodeAllocate`'s
/// `platform` regex against: `<os>-<kernel release>-<machine>`, then
/// `-with-glibc` or `-with-musl` for the C library this build links.
///
/// For example `linux-6.18.0-x86_64-with-glibc`. Python adds the C
/// library's version (`glibc2.36`); it is left out here because what a
/// shipped executable needs is the library it was built against, not a
/// version, and a regex such as `linux.*x86_64` matches both shapes.
pub(crate) fn platform() -> String {
    let uname = rustix::system::uname();
    let mut platform = format!(
        "{}-{}-{}",
        uname.sysname().to_string_lossy(),
        uname.release().to_string_lossy(),
        uname.machine().to_string_lossy(),
    );
    if let Some(libc) = c_library() {
        platform.push_str("-with-");
        platform.push_str(libc);
    }
    platform.to_lowercase()
}

/// The C library this build links, as Python's `platform.libc_ver` names
/// it; `None` for targets without one it knows.
fn c_library() -> Option<&'static str> {
    if cfg!(target_env = "gnu") {
        Some("glibc")
    } else if cfg!(target_env = "musl") {
        Some("musl")
    } else {
        None
    }
}

/// The machine's memory in bytes (`MemTotal`), `None` when `/proc/meminfo`
/// cannot be read or understood.
#[cfg(test)]
pub(crate) fn total_memory() -> Option<u64> {
    meminfo_bytes(&std::fs::read_to_string(PROC_MEMINFO).ok()?, "MemTotal")
}

/// One reading of what a node has left, taken by [`AvailSampler::sample`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Avail {
    /// How busy all CPUs together were since the previous sample, in
    /// percent (0–100); the first sample measures since boot.
    pub(crate) cpu_percent: Option<f32>,
    /// Memory that can be had without swapping (`MemAvailable`), in bytes.
    pub(crate) memory_available: Option<u64>,
    /// Disk space an unprivileged user may still fill on the file system
    /// of the sampled path (`f_bavail * f_frsize`), in bytes.
    pub(crate) disk_available: Option<u64>,
    /// How much of the swap space is used, in percent (0–100); 0 when
    /// there is no swap.
    pub(crate) swap_percent: Option<f32>,
}

/// Takes [`Avail`] readings, remembering the CPU counters of the previous
/// one so that each CPU reading covers the time since it.
#[derive(Debug, Default)]
pub(crate) struct AvailSampler {
    /// The counters at the previous sample; zero (boot) before the first.
    previous: CpuTimes,
}

impl AvailSampler {
    /// A sampler whose first CPU reading measures since boot.
    pub(crate) fn new() -> AvailSampler {
        AvailSampler::default()
    }

    /// Reads the CPU, memory and swap counters and the free space of the
    /// file system holding `disk_path` (the node's working directory,
    /// where servers write).
    pub(crate) fn sample(&mut self, disk_path: &Path) -> Avail {
        let meminfo = std::fs::read_to_string(PROC_MEMINFO).ok();
        let meminfo = meminfo.as_deref();
        Avail {
            cpu_percent: self.cpu_percent(),
            memory_available: meminfo.and_then(|text| meminfo_bytes(text, "MemAvailable")),
            disk_available: disk_available(disk_path),
            swap_percent: meminfo.and_then(swap_used_percent),
        }
    }

    /// The busy share since the previous sample. When the counters cannot
    /// be read, the next reading measures since boot again rather than
    /// from counters that are not known.
    fn cpu_percent(&mut self) -> Option<f32> {
        let now = std::fs::read_to_string(PROC_STAT)
            .ok()
            .and_then(|text| parse_cpu_times(&text));
        let Some(now) = now else {
            self.previous = CpuTimes::default();
            return None;
        };
        let percent = busy_percent(self.previous, now);
        self.previous = now;
        percent
    }
}

/// The aggregate CPU counters of `/proc/stat`, in clock ticks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct CpuTimes {
    /// Ticks spent doing anything but waiting.
    busy: u64,
    /// All ticks, busy or not.
    total: u64,
}

/// Reads the `cpu` line of `/proc/stat`: `user nice system idle iowait
/// irq softirq steal`, then on newer kernels `guest guest_nice`, which the
/// kernel counts inside `user` and `nice` already and so are left out.
/// Idle and iowait are the waiting ticks, as psutil counts them.
fn parse_cpu_times(stat: &str) -> Option<CpuTimes> {
    let line = stat.lines().find(|line| line.starts_with("cpu "))?;
    let mut ticks = [0_u64; 8];
    let mut fields = line.split_ascii_whitespace().skip(1);
    // Kernels before 2.6.11 stop after `softirq` or earlier; four fields
    // are the least that says anything.
    let mut read = 0;
    for (slot, field) in ticks.iter_mut().zip(&mut fields) {
        *slot = field.parse().ok()?;
        read += 1;
    }
    if read < 4 {
        return None;
    }
    let total = ticks.iter().try_fold(0_u64, |sum, &t| sum.checked_add(t))?;
    let waiting = ticks[3].checked_add(ticks[4])?;
    Some(CpuTimes {
        busy: total.checked_sub(waiting)?,
        total,
    })
}

/// The busy share of the ticks between two readings; `None` when no tick
/// passed or the counters went backwards (a kernel that reset them, or
/// nonsense text).
fn busy_percent(before: CpuTimes, after: CpuTimes) -> Option<f32> {
    let total = after.total.checked_sub(before.total)?;
    let busy = after.busy.checked_sub(before.busy)?;
    if total == 0 || busy > total {
        return None;
    }
    Some((busy as f64 * 100.0 / total as f64) as f32)
}

/// The value of a `/proc/meminfo` field such as `MemAvailable:  1234 kB`,
/// in bytes. The kernel always writes these fields in kibibytes.
fn meminfo_bytes(meminfo: &str, field: &str) -> Option<u64> {
    let value = meminfo.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        (name == field).then_some(value)
    })?;
    let kib = value.trim().strip_suffix("kB")?.trim_end();
    kib.parse::<u64>().ok()?.checked_mul(1024)
}

/// How much of the swap space is used, in percent; 0 with no swap space.
fn swap_used_percent(meminfo: &str) -> Option<f32> {
    let total = meminfo_bytes(meminfo, "SwapTotal")?;
    let free = meminfo_bytes(meminfo, "SwapFree")?;
    if total == 0 {
        return Some(0.0);
    }
    let used = total.checked_sub(free)?;
    Some((used as f64 * 100.0 / total as f64) as f32)
}

/// The bytes an unprivileged user may still write on the file system of
/// `path`; psutil's `disk_usage(path).free` counts the same blocks.
fn disk_available(path: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(path).ok()?;
    stat.f_bavail.checked_mul(stat.f_frsize)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMINFO: &str = "MemTotal:       16303428 kB\n\
                           MemFree:         1045236 kB\n\
                           MemAvailable:    9876543 kB\n\
                           SwapTotal:       4000000 kB\n\
                           SwapFree:        3000000 kB\n";

    const STAT: &str = "cpu  100 20 30 800 50 0 0 0 7 0\n\
                        cpu0 50 10 15 400 25 0 0 0 7 0\n\
                        intr 12345\n";

    #[test]
    fn cpu_times_leave_out_idle_iowait_and_guest_ticks() {
        let times = parse_cpu_times(STAT).expect("a well-formed cpu line");
        assert_eq!(
            times,
            CpuTimes {
                busy: 150,
                total: 1000
            }
        );
    }

    #[test]
    fn cpu_times_of_an_old_kernel_with_four_fields_are_read() {
        let times = parse_cpu_times("cpu 1 2 3 4\n").expect("four fields");
        assert_eq!(times, CpuTimes { busy: 6, total: 10 });
    }

    #[test]
    fn malformed_cpu_lines_give_none() {
        for text in [
            "",
            "cpu0 1 2 3 4\n",
            "cpu 1 2 3\n",
            "cpu 1 two 3 4 5\n",
            "cpu -1 2 3 4\n",
            "cpu 18446744073709551615 1 0 0\n",
            "cpu 0 0 0 18446744073709551615 1\n",
        ] {
            assert_eq!(parse_cpu_times(text), None, "{text:?}");
        }
    }

    #[test]
    fn busy_percent_is_the_busy_share_of_the_ticks_between_samples() {
        let before = CpuTimes {
            busy: 100,
            total: 1000,
        };
        let after = CpuTimes {
            busy: 175,
            total: 1100,
        };
        assert_eq!(busy_percent(before, after), Some(75.0));
        assert_eq!(busy_percent(CpuTimes::default(), before), Some(10.0));
    }

    #[test]
    fn busy_percent_is_none_without_ticks_or_with_counters_going_back() {
        let at = CpuTimes {
            busy: 100,
            total: 1000,
        };
        assert_eq!(busy_percent(at, at), None);
        assert_eq!(
            busy_percent(
                at,
                CpuTimes {
                    busy: 90,
                    total: 1100
                }
            ),
            None
        );
        assert_eq!(
            busy_percent(
                at,
                CpuTimes {
                    busy: 200,
                    total: 900
                }
            ),
            None
        );
        assert_eq!(
            busy_percent(
                at,
                CpuTimes {
                    busy: 300,
                    total: 1100
                }
            ),
            None
        );
    }

    #[test]
    fn meminfo_fields_are_read_in_bytes() {
        assert_eq!(
            meminfo_bytes(MEMINFO, "MemAvailable"),
            Some(9_876_543 * 1024)
        );
        assert_eq!(meminfo_bytes(MEMINFO, "MemTotal"), Some(16_303_428 * 1024));
    }

    #[test]
    fn malformed_or_missing_meminfo_fields_give_none() {
        assert_eq!(meminfo_bytes(MEMINFO, "Mem"), None);
        assert_eq!(meminfo_bytes(MEMINFO, "Hugepagesize"), None);
        for text in [
            "MemAvailable: 12\n",
            "MemAvailable: many kB\n",
            "MemAvailable 12 kB\n",
            "MemAvailable: -12 kB\n",
            "MemAvailable: 18446744073709551615 kB\n",
        ] {
            assert_eq!(meminfo_bytes(text, "MemAvailable"), None, "{text:?}");
        }
    }

    #[test]
    fn swap_percent_is_the_used_share_and_zero_without_swap() {
        assert_eq!(swap_used_percent(MEMINFO), Some(25.0));
        let no_swap = "SwapTotal: 0 kB\nSwapFree: 0 kB\n";
        assert_eq!(swap_used_percent(no_swap), Some(0.0));
    }

    #[test]
    fn malformed_swap_fields_give_none() {
        assert_eq!(swap_used_percent("SwapTotal: 10 kB\n"), None);
        let more_free_than_total = "SwapTotal: 10 kB\nSwapFree: 20 kB\n";
        assert_eq!(swap_used_percent(more_free_than_total), None);
    }

    #[test]
    fn disk_space_of_a_missing_path_is_none() {
        let missing = Path::new("/nonexistent/pycos-avail-test");
        assert_eq!(disk_available(missing), None);
    }

    #[test]
    fn a_sample_on_linux_has_every_reading() {
        let mut sampler = AvailSampler::new();
        let avail = sampler.sample(&std::env::temp_dir());
        let cpu = avail.cpu_percent.expect("a CPU reading since boot");
        assert!((0.0..=100.0).contains(&cpu), "{cpu}");
        let swap = avail.swap_percent.expect("a swap reading");
        assert!((0.0..=100.0).contains(&swap), "{swap}");
        assert!(avail.memory_available.is_some_and(|bytes| bytes > 0));
        assert!(avail.disk_available.is_some(), "{avail:?}");
        assert!(sampler.previous.total > 0, "the counters were kept");
    }

    #[test]
    fn the_machine_description_is_filled_in() {
        assert!(cpu_count() >= 1);
        assert!(total_memory().is_some_and(|bytes| bytes > 0));
        let platform = platform();
        assert!(platform.starts_with("linux-"), "{platform}");
        assert!(platform.contains(std::env::consts::ARCH), "{platform}");
        assert_eq!(platform, platform.to_lowercase());
    }
}
