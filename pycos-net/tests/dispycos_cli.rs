//! The `dispycosnode` program's command line: help, and one-line errors
//! that name the bad option.

use std::process::Command;

const NODE: &str = env!("CARGO_BIN_EXE_dispycosnode");

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(NODE)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("cannot run dispycosnode: {err}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_lists_the_options() {
    let (ok, stdout, _) = run(&["--help"]);
    assert!(ok);
    for option in [
        "--cpus",
        "--node_ports",
        "--dest_path",
        "--max_file_size",
        "--serve",
        "--clean",
    ] {
        assert!(stdout.contains(option), "--help lacks {option}:\n{stdout}");
    }
}

#[test]
fn a_bad_value_is_one_line_naming_the_option() {
    for (args, option) in [
        (&["--cpus", "99"][..], "--cpus"),
        (&["--max_file_size", "12q"][..], "--max_file_size"),
        (&["--node_ports", "9-x"][..], "--node_ports"),
    ] {
        let (ok, _, stderr) = run(args);
        assert!(!ok, "{args:?} was accepted");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(option), "{args:?}: {stderr}");
    }
}
