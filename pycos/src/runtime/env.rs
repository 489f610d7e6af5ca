//! Settings the process-wide scheduler reads from the environment.

use super::error::ClockEnvError;

/// Whether `PYCOS_CLOCK` asks for a virtual clock: `virtual` does, `real`,
/// an empty value or no variable do not.
///
/// # Errors
///
/// [`ClockEnvError`] for any other value, so that a typo (`PYCOS_CLOCK=virtaul`)
/// is not silently a real clock.
pub(crate) fn virtual_clock() -> Result<bool, ClockEnvError> {
    parse_clock(std::env::var_os("PYCOS_CLOCK").as_deref())
}

fn parse_clock(value: Option<&std::ffi::OsStr>) -> Result<bool, ClockEnvError> {
    let Some(value) = value else {
        return Ok(false);
    };
    match value.to_str() {
        Some("" | "real") => Ok(false),
        Some("virtual") => Ok(true),
        _ => Err(ClockEnvError {
            value: value.to_string_lossy().into_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_clock;
    use std::ffi::OsStr;

    #[test]
    fn accepts_the_two_clocks_and_nothing_else() {
        assert_eq!(parse_clock(None), Ok(false));
        assert_eq!(parse_clock(Some(OsStr::new(""))), Ok(false));
        assert_eq!(parse_clock(Some(OsStr::new("real"))), Ok(false));
        assert_eq!(parse_clock(Some(OsStr::new("virtual"))), Ok(true));
        let err = parse_clock(Some(OsStr::new("virtaul"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PYCOS_CLOCK=\"virtaul\" names no clock; accepted values: `real`, `virtual`"
        );
    }
}
