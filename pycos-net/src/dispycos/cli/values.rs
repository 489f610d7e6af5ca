//! Parsers for the option values that are more than a number: sizes with a
//! unit, seconds, and TCP port ranges.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Parses a `--max_file_size` value: bytes, or a number with a `k`, `m`,
/// `g` or `t` suffix (either case) meaning KiB, MiB, GiB or TiB.
///
/// # Examples
///
/// ```
/// use pycos_net::dispycos::cli::parse_size;
///
/// assert_eq!(parse_size("512"), Ok(512));
/// assert_eq!(parse_size("10m"), Ok(10 * 1024 * 1024));
/// assert_eq!(parse_size("2G"), Ok(2 << 30));
/// assert!(parse_size("10 MB").is_err());
/// ```
///
/// # Errors
///
/// Anything else, and sizes beyond `u64`, give a message naming the text.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let invalid = || format!("{text:?} is not a size (bytes, or a number with k, m, g or t)");
    let (digits, shift) = match text.char_indices().last() {
        Some((at, unit)) if unit.is_ascii_alphabetic() => {
            let shift = match unit.to_ascii_lowercase() {
                'k' => 10,
                'm' => 20,
                'g' => 30,
                't' => 40,
                _ => return Err(invalid()),
            };
            (&text[..at], shift)
        }
        _ => (text, 0),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let number: u64 = digits.parse().map_err(|_| invalid())?;
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("{text:?} is more bytes than fit in 64 bits"))
}

/// Parses a number of seconds, whole or decimal (`10`, `2.5`).
pub(crate) fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| format!("{text:?} is not a duration (seconds, 0 or more)"))
}

/// One `--node_ports` value: a single TCP port or an inclusive range `a-b`.
///
/// ```
/// use pycos_net::dispycos::cli::PortRange;
///
/// let range: PortRange = "9706-9710".parse()?;
/// assert_eq!((range.first(), range.last()), (9706, 9710));
/// assert_eq!("9706".parse::<PortRange>()?.last(), 9706);
/// assert!("9710-9706".parse::<PortRange>().is_err());
/// # Ok::<(), pycos_net::dispycos::cli::ParsePortRangeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    first: u16,
    last: u16,
}

impl PortRange {
    /// The lowest port of the range.
    pub fn first(self) -> u16 {
        self.first
    }

    /// The highest port of the range (the same as `first` for one port).
    pub fn last(self) -> u16 {
        self.last
    }

    /// The ports of the range, lowest first.
    pub fn ports(self) -> impl Iterator<Item = u16> {
        self.first..=self.last
    }
}

impl FromStr for PortRange {
    type Err = ParsePortRangeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |why| ParsePortRangeError {
            text: text.to_owned(),
            why,
        };
        let port = |part: &str| part.trim().parse::<u16>().map_err(|_| error(NOT_A_PORT));
        let range = match text.split_once('-') {
            None => Self {
                first: port(text)?,
                last: port(text)?,
            },
            Some((first, last)) => Self {
                first: port(first)?,
                last: port(last)?,
            },
        };
        if range.last < range.first {
            return Err(error("the range ends before it starts"));
        }
        Ok(range)
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

const NOT_A_PORT: &str = "expected a port (0-65535) or a range like 9706-9710";

/// A `--node_ports` value that is neither a port nor a range of ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsePortRangeError {
    text: String,
    why: &'static str,
}

impl fmt::Display for ParsePortRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.text, self.why)
    }
}

impl std::error::Error for ParsePortRangeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes_in_either_case() {
        assert_eq!(parse_size("0"), Ok(0));
        assert_eq!(parse_size("1k"), Ok(1024));
        assert_eq!(parse_size("1K"), Ok(1024));
        assert_eq!(parse_size("3m"), Ok(3 << 20));
        assert_eq!(parse_size("3M"), Ok(3 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("5T"), Ok(5 << 40));
    }

    #[test]
    fn sizes_refuse_other_text_and_overflow() {
        for bad in ["", "k", "-1", "1.5m", "10 m", "10mb", "10x", "ten"] {
            let error = parse_size(bad).expect_err(bad);
            assert!(error.contains("is not a size"), "{bad}: {error}");
        }
        let huge = parse_size("99999999999t").unwrap_err();
        assert!(huge.contains("64 bits"), "{huge}");
    }

    #[test]
    fn seconds_are_whole_or_decimal_and_not_negative() {
        assert_eq!(parse_seconds("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_seconds("2.5"), Ok(Duration::from_millis(2500)));
        assert!(parse_seconds("-1").unwrap_err().contains("not a duration"));
        assert!(parse_seconds("soon").unwrap_err().contains("not a number"));
    }

    #[test]
    fn port_ranges_parse_and_print() {
        let one: PortRange = "9706".parse().unwrap();
        assert_eq!(one.ports().collect::<Vec<_>>(), [9706]);
        let range: PortRange = "9706-9708".parse().unwrap();
        assert_eq!(range.ports().collect::<Vec<_>>(), [9706, 9707, 9708]);
        assert_eq!(range.to_string(), "9706-9708");
        assert_eq!(one.to_string(), "9706");
    }

    #[test]
    fn port_ranges_refuse_bad_text() {
        for bad in ["", "x", "70000", "1-2-3", "9708-9706", "-9706"] {
            assert!(bad.parse::<PortRange>().is_err(), "{bad} parsed");
        }
        let error = "9708-9706".parse::<PortRange>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"9708-9706\": the range ends before it starts"
        );
    }
}
