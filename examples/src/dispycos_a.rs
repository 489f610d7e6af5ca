//! What the ports of pycos' `dispycos_client1` … `dispycos_client8` and
//! the tutorial's dispycos program share: their one positional argument
//! (how many jobs), the random durations that stand in for computing, and
//! the time of day their jobs report (pycos' `time.asctime()`), and
//! where a task runs, for their printouts (pycos' `task.location`).
//!
//! The Python programs sleep for random 5 to 20 seconds to simulate work;
//! the ports sleep for a hundredth of that ([`SECONDS`]), so an example
//! runs in a second or two and shows the same interleaving.

use std::any::Any;
use std::time::{SystemTime, UNIX_EPOCH};

use pycos::{Task, TaskSpec};
use pycos_net::Located;
use pycos_net::dispycos::Client;

/// The error type of the examples' `main` and tasks.
pub type DynError = Box<dyn std::error::Error + Send + Sync>;

/// One of the Python program's seconds, in the ports' seconds: its
/// random 5 to 10 s of "computing" become 50 to 100 ms.
pub const SECONDS: f64 = 0.01;

/// A random duration between `low` and `high` of the Python program's
/// seconds, scaled by [`SECONDS`] (pycos' `random.uniform(low, high)`).
///
/// ```
/// let n = pycos_examples::dispycos_a::uniform(5.0, 10.0);
/// assert!((0.05..0.1).contains(&n));
/// ```
pub fn uniform(low: f64, high: f64) -> f64 {
    (low + (high - low) * fastrand::f64()) * SECONDS
}

/// The count given as the only positional argument (the Python's
/// `10 if len(sys.argv) < 2 else int(sys.argv[1])`), or `default`.
///
/// # Errors
///
/// A one-line text naming the argument that is not a count, or the one
/// too many.
///
/// ```
/// use pycos_examples::dispycos_a::count_arg;
///
/// assert_eq!(count_arg(&[], 10), Ok(10));
/// assert_eq!(count_arg(&["3".to_owned()], 10), Ok(3));
/// assert!(count_arg(&["many".to_owned()], 10).is_err());
/// ```
pub fn count_arg(args: &[String], default: usize) -> Result<usize, String> {
    match args {
        [] => Ok(default),
        [count] => count
            .parse()
            .map_err(|err| format!("the job count {count:?}: {err}")),
        [_, extra, ..] => Err(format!(
            "unexpected argument {extra:?} (give one job count, and --node IP:PORT, --servers N, --secret S)"
        )),
    }
}

/// Where `task` runs, as `IP:PORT` (`?` when it is nowhere: not on a
/// node).
pub fn where_is<R>(task: &Task<R>) -> String {
    task.location()
        .map_or_else(|| "?".to_owned(), |at| at.to_string())
}

/// The time now, in UTC, as `YYYY-MM-DD HH:MM:SS UTC` (pycos' jobs
/// report `time.asctime()`).
pub fn asctime() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    utc_text(secs)
}

/// `secs` since the Unix epoch as `YYYY-MM-DD HH:MM:SS UTC`.
fn utc_text(secs: u64) -> String {
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard
/// Hinnant's `civil_from_days`, for days on or after the epoch): the
/// calendar is counted in 400-year eras of 146 097 days, each year
/// starting on 1 March so the leap day comes last.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468; // days from 0000-03-01
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    (year, month, day)
}

/// Runs an example whose one argument is a job count (`default_jobs`
/// without it), as [`cluster::run`](crate::cluster::run) does.
///
/// # Errors
///
/// A bad argument, a cluster that cannot start, or how `client_proc`
/// failed.
pub fn run_jobs<R: Any + Send + Sync + Clone>(
    default_jobs: usize,
    client_proc: impl FnOnce(Client, usize) -> TaskSpec<R>,
) -> Result<(), DynError> {
    crate::cluster::run(|rest| count_arg(rest, default_jobs), client_proc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_text_gives_the_calendar_date_and_time() {
        assert_eq!(utc_text(0), "1970-01-01 00:00:00 UTC");
        // A leap day, and the last second of a century's leap year.
        assert_eq!(utc_text(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc_text(978_307_199), "2000-12-31 23:59:59 UTC");
        assert_eq!(utc_text(1_709_210_096), "2024-02-29 12:34:56 UTC");
    }

    #[test]
    fn uniform_stays_within_the_scaled_range() {
        for _ in 0..1000 {
            let n = uniform(2.0, 5.0);
            assert!((0.02..0.05).contains(&n), "{n}");
        }
    }

    #[test]
    fn count_arg_names_what_is_wrong() {
        let err = count_arg(&["x".to_owned()], 1).unwrap_err();
        assert!(err.contains("\"x\""), "{err}");
        let err = count_arg(&["1".to_owned(), "2".to_owned()], 1).unwrap_err();
        assert!(err.contains("\"2\""), "{err}");
    }
}
