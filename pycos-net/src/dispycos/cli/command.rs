//! The commands typed at the interactive (non-daemon) dispycos binaries.

use super::UnknownCommand;

/// A command typed at an interactive `dispycosnode`.
///
/// End of input and Ctrl-C mean [`NodeCommand::Quit`]; the binary decides
/// that, as it sees them and this parser does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeCommand {
    /// Enter alone or `status`: print the clients served and each server.
    Status,
    /// `close`: accept no new jobs; close the client once its jobs finish.
    Close,
    /// `quit`: close the current client, then exit.
    Quit,
    /// `terminate`: kill the running jobs, then quit.
    Terminate,
}

impl NodeCommand {
    /// The prompt listing the commands, for the binary to print.
    pub const PROMPT: &'static str = "Enter \"status\" (or nothing) for status, \
        \"close\" to close the current client when its jobs finish, \
        \"quit\" to close it and exit, \"terminate\" to kill its jobs and exit: ";

    /// Parses one line of input, ignoring case and surrounding blanks.
    ///
    /// Every line means something to a node (an empty one asks for the
    /// status), so this gives `None` never; the `Option` keeps the shape of
    /// [`SchedulerCommand::parse`].
    ///
    /// ```
    /// use pycos_net::dispycos::cli::NodeCommand;
    ///
    /// assert_eq!(NodeCommand::parse(""), Some(Ok(NodeCommand::Status)));
    /// assert_eq!(NodeCommand::parse(" Quit\n"), Some(Ok(NodeCommand::Quit)));
    /// assert!(matches!(NodeCommand::parse("stop"), Some(Err(_))));
    /// ```
    ///
    /// # Errors
    ///
    /// Any other text gives an [`UnknownCommand`] that lists the commands.
    pub fn parse(line: &str) -> Option<Result<Self, UnknownCommand>> {
        let command = match normalized(line).as_str() {
            "" | "status" => Self::Status,
            "close" => Self::Close,
            "quit" => Self::Quit,
            "terminate" => Self::Terminate,
            other => return Some(Err(unknown(other, "status, close, quit or terminate"))),
        };
        Some(Ok(command))
    }
}

/// A command typed at an interactive standalone `dispycos` scheduler.
///
/// End of input is ignored (the scheduler goes on), as in pycos.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchedulerCommand {
    /// `status`: print the client, pending jobs, nodes and servers.
    Status,
    /// `quit` or `exit`: close the scheduler.
    Quit,
}

impl SchedulerCommand {
    /// The prompt listing the commands, for the binary to print.
    pub const PROMPT: &'static str =
        "Enter \"quit\" or \"exit\" to close the scheduler, \"status\" to show its status: ";

    /// Parses one line of input, ignoring case and surrounding blanks.
    /// An empty line gives `None`: nothing to do.
    ///
    /// ```
    /// use pycos_net::dispycos::cli::SchedulerCommand;
    ///
    /// assert_eq!(SchedulerCommand::parse("exit"), Some(Ok(SchedulerCommand::Quit)));
    /// assert_eq!(SchedulerCommand::parse("   "), None);
    /// ```
    ///
    /// # Errors
    ///
    /// Any other text gives an [`UnknownCommand`] that lists the commands.
    pub fn parse(line: &str) -> Option<Result<Self, UnknownCommand>> {
        let command = match normalized(line).as_str() {
            "" => return None,
            "status" => Self::Status,
            "quit" | "exit" => Self::Quit,
            other => return Some(Err(unknown(other, "status, quit or exit"))),
        };
        Some(Ok(command))
    }
}

fn normalized(line: &str) -> String {
    line.trim().to_lowercase()
}

fn unknown(line: &str, known: &'static str) -> UnknownCommand {
    UnknownCommand {
        line: line.to_owned(),
        known,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_commands_parse_in_any_case() {
        let cases = [
            ("", NodeCommand::Status),
            ("\n", NodeCommand::Status),
            ("status", NodeCommand::Status),
            ("CLOSE", NodeCommand::Close),
            ("  quit  ", NodeCommand::Quit),
            ("Terminate\r\n", NodeCommand::Terminate),
        ];
        for (line, command) in cases {
            assert_eq!(NodeCommand::parse(line), Some(Ok(command)), "{line:?}");
        }
    }

    #[test]
    fn an_unknown_node_command_lists_the_known_ones() {
        let error = NodeCommand::parse("exit").unwrap().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown command \"exit\": enter status, close, quit or terminate"
        );
    }

    #[test]
    fn scheduler_commands_parse_and_blank_lines_are_ignored() {
        assert_eq!(
            SchedulerCommand::parse("status"),
            Some(Ok(SchedulerCommand::Status))
        );
        assert_eq!(
            SchedulerCommand::parse("QUIT"),
            Some(Ok(SchedulerCommand::Quit))
        );
        assert_eq!(
            SchedulerCommand::parse(" exit "),
            Some(Ok(SchedulerCommand::Quit))
        );
        assert_eq!(SchedulerCommand::parse(""), None);
        assert_eq!(SchedulerCommand::parse(" \t\n"), None);
        let error = SchedulerCommand::parse("close").unwrap().unwrap_err();
        assert!(
            error.to_string().ends_with("status, quit or exit"),
            "{error}"
        );
    }
}
