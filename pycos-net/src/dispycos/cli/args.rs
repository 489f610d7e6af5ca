//! The parse steps both binaries share: clap reads the command line, the
//! values of a `--config` file become the options' defaults (so the command
//! line overrides them), the binary's own checks run, and `--save_config`
//! writes what came out.
//!
//! Config values go in as clap defaults rather than being merged by hand:
//! clap then parses and checks them exactly like typed values, and an
//! option given on the command line replaces a config value whole (a list
//! option given once replaces the file's list rather than adding to it,
//! as pycos does).

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Command, CommandFactory, FromArgMatches};

use super::{CliError, ini};

/// What parsing a command line decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed<T> {
    /// Run with these options.
    Run(T),
    /// `--help` was given: print this text and exit with status 0.
    Help(String),
    /// `--save_config` wrote the options to this file: exit with status 0.
    ConfigSaved(PathBuf),
}

/// `--config` and `--save_config`, the same for both binaries.
#[derive(Debug, clap::Args)]
#[command(rename_all = "snake_case")]
pub(crate) struct ConfigArgs {
    /// Take option defaults from this INI file: its [DEFAULT] section, keys
    /// are long option names (the command line overrides them)
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the effective options to this file (for --config) and exit
    #[arg(long, value_name = "FILE")]
    save_config: Option<PathBuf>,
}

/// Ids that are not options to save or to take from a config file.
const NOT_CONFIGURABLE: [&str; 3] = ["config", "save_config", "help"];

/// Parses `argv` (without the program name) into `A`, applying a config
/// file if one is named, then `validate`s it and saves it if asked.
pub(crate) fn parse<A, T>(
    argv: impl IntoIterator<Item = String>,
    validate: impl FnOnce(A) -> Result<T, CliError>,
) -> Result<Parsed<T>, CliError>
where
    A: CommandFactory + FromArgMatches,
{
    let argv: Vec<String> = argv.into_iter().collect();
    let fresh_command = || A::command().no_binary_name(true);
    let mut command = fresh_command();
    let mut matches = match command.try_get_matches_from_mut(&argv) {
        Ok(matches) => matches,
        Err(error) if error.kind() == clap::error::ErrorKind::DisplayHelp => {
            return Ok(Parsed::Help(error.to_string()));
        }
        Err(error) => return Err(CliError::from_clap(&error)),
    };
    if let Some(path) = matches.get_one::<PathBuf>("config").cloned() {
        // A command that has parsed is built, and changing a built
        // command's arguments confuses its index of them: start afresh.
        command = with_config_defaults(fresh_command(), &path)?;
        // The command line parsed once already, so what fails now is a
        // value from the file.
        matches = command
            .try_get_matches_from_mut(&argv)
            .map_err(|error| CliError::from_clap(&error).in_config(&path))?;
    }
    let save_to = matches.get_one::<PathBuf>("save_config").cloned();
    let args = A::from_arg_matches(&matches).map_err(|error| CliError::from_clap(&error))?;
    let options = validate(args)?;
    match save_to {
        Some(path) => {
            save(&command, &matches, &path)?;
            Ok(Parsed::ConfigSaved(path))
        }
        None => Ok(Parsed::Run(options)),
    }
}

/// `command` with each entry of the config file at `path` as the default
/// of the option it names.
fn with_config_defaults(mut command: Command, path: &Path) -> Result<Command, CliError> {
    for (key, raw) in ini::read(path)? {
        let arg = configurable_arg(&command, &key)
            .ok_or_else(|| CliError::config(path, format!("{key:?} is not an option here")))?;
        let mut values = ini::values(&raw);
        if values.is_empty() {
            continue;
        }
        if !arg.get_action().takes_values() {
            values = values.iter().map(|value| ini::flag(value)).collect();
        }
        if values.len() > 1 && !matches!(arg.get_action(), ArgAction::Append) {
            return Err(CliError::config(
                path,
                format!("{key}: takes one value, not a list"),
            ));
        }
        let id = arg.get_id().clone();
        command = command.mut_arg(id, |arg| arg.default_values(values));
    }
    Ok(command)
}

/// The option a config key names: its long name, or an alias (pycos saves
/// some options under other names, such as `peers` for `--peer`).
fn configurable_arg<'a>(command: &'a Command, key: &str) -> Option<&'a Arg> {
    command.get_arguments().find(|arg| {
        !NOT_CONFIGURABLE.contains(&arg.get_id().as_str())
            && (arg.get_long() == Some(key)
                || arg.get_all_aliases().unwrap_or_default().contains(&key))
    })
}

/// Writes every option that has a value, as pycos' configparser would.
fn save(command: &Command, matches: &ArgMatches, path: &Path) -> Result<(), CliError> {
    let unwritable = |detail: String| CliError::option("save_config", detail);
    let mut text = String::from("[DEFAULT]\n");
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        let (Some(long), Some(raw)) = (arg.get_long(), matches.get_raw(id)) else {
            continue;
        };
        if NOT_CONFIGURABLE.contains(&id) {
            continue;
        }
        let values: Vec<String> = raw
            .map(|value| OsStr::to_str(value).map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| unwritable(format!("the value of --{long} is not UTF-8")))?;
        let literal = match (arg.get_action(), values.as_slice()) {
            (ArgAction::SetTrue, [value]) => ini::bool_literal(value == "true").to_owned(),
            (ArgAction::Append, values) => ini::list(values),
            (_, [value]) => ini::literal(value),
            _ => continue,
        };
        // Writing to a String cannot fail.
        let _ = writeln!(text, "{long} = {literal}");
    }
    std::fs::write(path, text).map_err(|error| unwritable(format!("{}: {error}", path.display())))
}
