use std::time::Duration;

use super::*;
use crate::dispycos::cli::test_support::{ScratchDir, argv, error, run};

fn parse(words: &[&str]) -> Result<Parsed<SchedulerOptions>, CliError> {
    SchedulerOptions::parse(argv(words))
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn defaults() -> SchedulerOptions {
    SchedulerOptions {
        hosts: vec![],
        ext_hosts: vec![],
        scheduler_port: 9705,
        node_port: 9706,
        ipv4_udp_multicast: false,
        name: "dispycos_scheduler".into(),
        dest_path: None,
        max_file_size: None,
        secret: String::new(),
        certfile: None,
        keyfile: None,
        nodes: vec![],
        relay_nodes: false,
        pulse_interval: secs(100),
        ping_interval: None,
        zombie_period: Some(secs(10_000)),
        debug: false,
        clean: false,
        daemon: false,
    }
}

#[test]
fn no_arguments_give_pycos_defaults() {
    assert_eq!(run(parse(&[])), defaults());
}

#[test]
fn every_option_parses() {
    let options = run(parse(&[
        "-i",
        "127.0.0.1",
        "--ext_host",
        "10.0.0.1",
        "--scheduler_port",
        "9805",
        "--node_port",
        "9806",
        "--ipv4_udp_multicast",
        "-n",
        "sched",
        "--dest_path",
        "/var/pycos",
        "--max_file_size",
        "1g",
        "-s",
        "shh",
        "--certfile",
        "/c.pem",
        "--keyfile",
        "/k.pem",
        "--node",
        "127.0.0.1",
        "--node",
        "node2",
        "--relay_nodes",
        "--pulse_interval",
        "20.5",
        "--ping_interval",
        "60",
        "--zombie_period",
        "0",
        "-d",
        "--clean",
        "--daemon",
    ]));
    let expected = SchedulerOptions {
        hosts: vec!["127.0.0.1".parse().unwrap()],
        ext_hosts: vec!["10.0.0.1".parse().unwrap()],
        scheduler_port: 9805,
        node_port: 9806,
        ipv4_udp_multicast: true,
        name: "sched".into(),
        dest_path: Some("/var/pycos".into()),
        max_file_size: Some(1 << 30),
        secret: "shh".into(),
        certfile: Some("/c.pem".into()),
        keyfile: Some("/k.pem".into()),
        nodes: vec!["127.0.0.1".into(), "node2".into()],
        relay_nodes: true,
        pulse_interval: Duration::from_millis(20_500),
        ping_interval: Some(secs(60)),
        zombie_period: None,
        debug: true,
        clean: true,
        daemon: true,
    };
    assert_eq!(options, expected);
}

#[test]
fn a_zombie_period_under_100_seconds_is_refused() {
    let message = error(parse(&["--zombie_period", "99"]));
    assert_eq!(
        message,
        "--zombie_period: 99s is less than the minimum (100s)"
    );
    assert_eq!(
        run(parse(&["--zombie_period", "100"])).zombie_period,
        Some(secs(100))
    );
}

#[test]
fn bad_values_name_their_option() {
    let cases = [
        (&["--pulse_interval", "0"][..], "--pulse_interval"),
        (&["--pulse_interval", "x"], "--pulse_interval"),
        (&["--node_port", "-1"], "--node_port"),
        (&["--node", " "], "--node"),
        (&["--host", "name"], "--host"),
        (&["--max_file_size", "big"], "--max_file_size"),
    ];
    for (words, option) in cases {
        let message = error(parse(words));
        assert!(message.contains(option), "{words:?}: {message}");
        assert!(!message.contains('\n'), "{message}");
    }
}

#[test]
fn help_lists_every_option_with_its_default() {
    let Ok(Parsed::Help(text)) = parse(&["-h"]) else {
        panic!("-h gives the help text");
    };
    for option in [
        "--host",
        "--ext_host",
        "--scheduler_port",
        "--node_port",
        "--ipv4_udp_multicast",
        "--name",
        "--dest_path",
        "--max_file_size",
        "--secret",
        "--certfile",
        "--keyfile",
        "--node",
        "--relay_nodes",
        "--pulse_interval",
        "--ping_interval",
        "--zombie_period",
        "--debug",
        "--clean",
        "--daemon",
    ] {
        assert!(text.contains(option), "{option} missing from help:\n{text}");
    }
    for default in [
        "[default: 9706]",
        "[default: dispycos_scheduler]",
        "[default: 10000]",
    ] {
        assert!(
            text.contains(default),
            "{default} missing from help:\n{text}"
        );
    }
}

#[test]
fn a_saved_config_loads_back_and_the_command_line_wins() {
    let dir = ScratchDir::new();
    let file = dir.file("scheduler.ini");
    let words = [
        "--node",
        "127.0.0.1",
        "--relay_nodes",
        "--pulse_interval",
        "30",
        "-n",
        "s1",
    ];
    let original = run(parse(&words));
    let mut saving = words.to_vec();
    saving.extend(["--save_config", &file]);
    assert_eq!(parse(&saving), Ok(Parsed::ConfigSaved(file.clone().into())));
    assert_eq!(run(parse(&["--config", &file])), original);

    let overridden = run(parse(&["--config", &file, "--pulse_interval", "40"]));
    assert_eq!(overridden.pulse_interval, secs(40));
    assert_eq!(overridden.nodes, original.nodes);
}
