use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use super::*;
use crate::dispycos::cli::test_support::{ScratchDir, argv, error, run};

fn parse(words: &[&str]) -> Result<Parsed<NodeOptions>, CliError> {
    NodeOptions::parse(argv(words))
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn defaults() -> NodeOptions {
    NodeOptions {
        cpus: 0,
        hosts: vec![],
        ext_hosts: vec![],
        ipv4_udp_multicast: false,
        name: None,
        scheduler_port: 9705,
        node_ports: vec![],
        dest_path: None,
        max_file_size: None,
        secret: String::new(),
        certfile: None,
        keyfile: None,
        serve: None,
        service: ServiceWindow::default(),
        msg_timeout: secs(10),
        min_pulse_interval: secs(10),
        max_pulse_interval: secs(100),
        zombie_period: None,
        ping_interval: None,
        daemon: false,
        clean: false,
        peers: vec![],
        debug: false,
    }
}

#[test]
fn no_arguments_give_pycos_defaults() {
    assert_eq!(run(parse(&[])), defaults());
}

#[test]
fn every_option_parses() {
    let options = run(parse(&[
        "-c",
        "-1",
        "-i",
        "127.0.0.1",
        "--host",
        "::1",
        "--ext_host",
        "10.0.0.1",
        "--ipv4_udp_multicast",
        "-n",
        "lab",
        "--scheduler_port",
        "9805",
        "--node_ports",
        "9900",
        "--node_ports",
        "9910-9912",
        "--dest_path",
        "/var/pycos",
        "--max_file_size",
        "10m",
        "-s",
        "shh",
        "--certfile",
        "/etc/cert.pem",
        "--keyfile",
        "/etc/key.pem",
        "--serve",
        "3",
        "--service_start",
        "08:00",
        "--service_stop",
        "17:00",
        "--service_end",
        "18:00",
        "--msg_timeout",
        "5",
        "--min_pulse_interval",
        "6",
        "--max_pulse_interval",
        "60",
        "--zombie_period",
        "600",
        "--ping_interval",
        "30",
        "--daemon",
        "--clean",
        "--peer",
        "127.0.0.1:9706",
        "-d",
    ]));
    let at = |text: &str| text.parse().ok();
    let expected = NodeOptions {
        cpus: -1,
        hosts: vec![IpAddr::V4(Ipv4Addr::LOCALHOST), "::1".parse().unwrap()],
        ext_hosts: vec!["10.0.0.1".parse().unwrap()],
        ipv4_udp_multicast: true,
        name: Some("lab".into()),
        scheduler_port: 9805,
        node_ports: vec!["9900".parse().unwrap(), "9910-9912".parse().unwrap()],
        dest_path: Some("/var/pycos".into()),
        max_file_size: Some(10 << 20),
        secret: "shh".into(),
        certfile: Some("/etc/cert.pem".into()),
        keyfile: Some("/etc/key.pem".into()),
        serve: Some(3),
        service: ServiceWindow::new(at("08:00"), at("17:00"), at("18:00")).unwrap(),
        msg_timeout: secs(5),
        min_pulse_interval: secs(6),
        max_pulse_interval: secs(60),
        zombie_period: Some(secs(600)),
        ping_interval: Some(secs(30)),
        daemon: true,
        clean: true,
        peers: vec!["127.0.0.1:9706".parse().unwrap()],
        debug: true,
    };
    assert_eq!(options, expected);
}

#[test]
fn relative_tls_files_are_made_absolute() {
    let options = run(parse(&["--certfile", "cert.pem"]));
    let certfile = options.certfile.unwrap();
    assert!(certfile.is_absolute(), "{certfile:?}");
    assert!(certfile.ends_with("cert.pem"));
}

#[test]
fn bad_values_name_their_option() {
    let cases = [
        (&["--cpus", "many"][..], "--cpus"),
        (&["--host", "localhost"], "--host"),
        (&["--scheduler_port", "70000"], "--scheduler_port"),
        (&["--node_ports", "9710-9706"], "--node_ports"),
        (&["--max_file_size", "1x"], "--max_file_size"),
        (&["--service_start", "25:00"], "--service_start"),
        (&["--msg_timeout", "soon"], "--msg_timeout"),
        (&["--ping_interval", "-1"], "--ping_interval"),
        (&["--peer", "127.0.0.1"], "--peer"),
        (&["--serve", "-2"], "--serve"),
        (&["--msg_timeout", "0.5"], "--msg_timeout"),
        (&["--min_pulse_interval", "5"], "--min_pulse_interval"),
        (&["--max_pulse_interval", "9"], "--max_pulse_interval"),
        (&["--zombie_period", "5"], "--zombie_period"),
        (&["--service_start", "09:00"], "--service_start"),
        (
            &["--service_start", "09:00", "--service_stop", "08:00"],
            "--service_stop",
        ),
    ];
    for (words, option) in cases {
        let message = error(parse(words));
        assert!(message.contains(option), "{words:?}: {message}");
        assert!(
            !message.contains('\n'),
            "{words:?}: not one line: {message}"
        );
        assert!(!message.starts_with("error:"), "{message}");
    }
}

#[test]
fn unknown_options_are_refused_in_one_line() {
    let message = error(parse(&["--cpu", "2"]));
    assert!(message.contains("--cpu"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn help_lists_every_option_with_its_default() {
    let Ok(Parsed::Help(text)) = parse(&["--help"]) else {
        panic!("--help gives the help text");
    };
    for option in [
        "--cpus",
        "--host",
        "--ext_host",
        "--ipv4_udp_multicast",
        "--name",
        "--scheduler_port",
        "--node_ports",
        "--dest_path",
        "--max_file_size",
        "--secret",
        "--certfile",
        "--keyfile",
        "--serve",
        "--service_start",
        "--service_stop",
        "--service_end",
        "--msg_timeout",
        "--min_pulse_interval",
        "--max_pulse_interval",
        "--zombie_period",
        "--ping_interval",
        "--daemon",
        "--clean",
        "--peer",
        "--debug",
        "--config",
        "--save_config",
    ] {
        assert!(text.contains(option), "{option} missing from help:\n{text}");
    }
    for default in [
        "[default: 9705]",
        "[default: -1]",
        "[default: 10]",
        "[default: 100]",
    ] {
        assert!(
            text.contains(default),
            "{default} missing from help:\n{text}"
        );
    }
}

#[test]
fn servers_follow_the_cpu_count() {
    let with = |cpus: i32| NodeOptions { cpus, ..defaults() };
    assert_eq!(with(0).servers(4), Ok(4));
    assert_eq!(with(2).servers(4), Ok(2));
    assert_eq!(with(4).servers(4), Ok(4));
    assert_eq!(with(-1).servers(4), Ok(3));
    assert_eq!(with(-3).servers(4), Ok(1));
    let more = with(5).servers(2).unwrap_err().to_string();
    assert_eq!(more, "--cpus: 5 is more than the 2 CPUs here");
    let none = with(-2).servers(2).unwrap_err().to_string();
    assert_eq!(none, "--cpus: -2 leaves none of the 2 CPUs here");
    assert!(with(i32::MIN).servers(2).is_err());
}

#[test]
fn negative_cpus_parse_with_or_without_equals() {
    assert_eq!(run(parse(&["--cpus", "-2"])).cpus, -2);
    assert_eq!(run(parse(&["-c=-3"])).cpus, -3);
}

#[test]
fn ports_default_to_the_one_after_the_scheduler_port() {
    assert_eq!(defaults().ports(2), Ok(vec![9706, 9707, 9708]));
    let moved = NodeOptions {
        scheduler_port: 9800,
        ..defaults()
    };
    assert_eq!(moved.ports(1), Ok(vec![9801, 9802]));
    let last = NodeOptions {
        scheduler_port: 65535,
        ..defaults()
    };
    assert!(
        last.ports(1)
            .unwrap_err()
            .to_string()
            .starts_with("--scheduler_port:")
    );
}

#[test]
fn ports_take_singles_and_ranges_lowest_first_then_continue() {
    let with = |specs: &[&str]| {
        let node_ports = specs.iter().map(|spec| spec.parse().unwrap()).collect();
        NodeOptions {
            node_ports,
            ..defaults()
        }
    };
    assert_eq!(with(&["9900"]).ports(2), Ok(vec![9900, 9901, 9902]));
    assert_eq!(with(&["9910-9920"]).ports(2), Ok(vec![9910, 9911, 9912]));
    assert_eq!(
        with(&["9950", "9900-9901"]).ports(3),
        Ok(vec![9900, 9901, 9950, 9951])
    );
    assert_eq!(with(&["9900", "9900-9901"]).ports(1), Ok(vec![9900, 9901]));
    assert_eq!(with(&["0"]).ports(2), Ok(vec![0, 0, 0]));
    assert_eq!(with(&["1-65535"]).ports(1), Ok(vec![1, 2]));
    let out = with(&["65534"]).ports(2).unwrap_err().to_string();
    assert_eq!(
        out,
        "--node_ports: 3 ports are needed, but they run out at 65535"
    );
}

#[test]
fn a_saved_config_loads_back_to_the_same_options() {
    let dir = ScratchDir::new();
    let file = dir.file("node.ini");
    let words = [
        "-c",
        "-1",
        "-i",
        "127.0.0.1",
        "--node_ports",
        "9900-9902",
        "--node_ports",
        "9950",
        "-s",
        "it's \\ secret",
        "--max_file_size",
        "2k",
        "--serve",
        "4",
        "--service_stop",
        "17:00",
        "--zombie_period",
        "60",
        "--peer",
        "127.0.0.1:9706",
        "--daemon",
        "--name",
        "n1",
    ];
    let original = run(parse(&words));
    let mut saving = words.to_vec();
    saving.extend(["--save_config", &file]);
    assert_eq!(parse(&saving), Ok(Parsed::ConfigSaved(file.clone().into())));
    let loaded = run(parse(&["--config", &file]));
    assert_eq!(loaded, original);
}

#[test]
fn the_command_line_overrides_the_config_file() {
    let dir = ScratchDir::new();
    let file = dir.file("node.ini");
    std::fs::write(
        &file,
        "[DEFAULT]\ncpus = 2\nname = 'from-file'\nnode_ports = ['9900']\ndaemon = True\n",
    )
    .unwrap();
    let options = run(parse(&[
        "--config",
        &file,
        "--name",
        "cli",
        "--node_ports",
        "9800",
    ]));
    assert_eq!(options.cpus, 2, "from the file");
    assert!(options.daemon, "from the file");
    assert_eq!(options.name.as_deref(), Some("cli"));
    assert_eq!(
        options.node_ports,
        vec!["9800".parse().unwrap()],
        "replaced, not added to"
    );
}

#[test]
fn config_files_saved_by_pycos_load() {
    let dir = ScratchDir::new();
    let file = dir.file("pycos.ini");
    // As pycos' dispycosnode.py --save_config writes it (dest names, reprs).
    let saved = "[DEFAULT]\ncpus = 0\nhost = []\nscheduler_port = 9705\nnode_ports = []\n\
        ipv4_udp_multicast = False\nname = 'pynode'\nmax_file_size = '1m'\nserve = -1\n\
        service_start = \nmsg_timeout = 10\nzombie_period = 0\npeers = ['127.0.0.1:9800']\n\
        loglevel = True\n";
    std::fs::write(&file, saved).unwrap();
    let options = run(parse(&["--config", &file]));
    assert_eq!(options.name.as_deref(), Some("pynode"));
    assert_eq!(options.max_file_size, Some(1 << 20));
    assert_eq!(options.peers, vec!["127.0.0.1:9800".parse().unwrap()]);
    assert!(options.debug);
}

#[test]
fn config_file_errors_name_the_file_and_the_option() {
    let dir = ScratchDir::new();
    let file = dir.file("bad.ini");
    std::fs::write(&file, "[DEFAULT]\ncpus = lots\n").unwrap();
    let message = error(parse(&["--config", &file]));
    assert!(
        message.starts_with(&file) && message.contains("--cpus"),
        "{message}"
    );

    std::fs::write(&file, "[DEFAULT]\ncpu = 2\n").unwrap();
    let message = error(parse(&["--config", &file]));
    assert_eq!(message, format!("{file}: \"cpu\" is not an option here"));

    std::fs::write(&file, "[DEFAULT]\nname = ['a', 'b']\n").unwrap();
    let message = error(parse(&["--config", &file]));
    assert_eq!(
        message,
        format!("{file}: name: takes one value, not a list")
    );

    let missing = dir.file("missing.ini");
    let message = error(parse(&["--config", &missing]));
    assert!(message.starts_with(&missing), "{message}");
}

#[test]
fn an_invalid_combination_is_not_saved() {
    let dir = ScratchDir::new();
    let file = dir.file("node.ini");
    let message = error(parse(&["--msg_timeout", "20", "--save_config", &file]));
    assert!(message.starts_with("--min_pulse_interval:"), "{message}");
    assert!(!std::path::Path::new(&file).exists());
}
