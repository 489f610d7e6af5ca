//! The task examples run to completion and print what pycos' originals do.
//! `PYCOS_CLOCK=virtual` runs them on virtual time: their sleeps take no
//! real time, so the tests are fast and not timing-dependent.

mod support;

use support::run;

#[test]
fn tasks_all_sleep_then_terminate_in_deadline_order() {
    let out = run(env!("CARGO_BIN_EXE_tasks"), &[], "", true);
    let mut sleeps = Vec::new();
    let mut ends = Vec::new();
    for line in out.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [_, "process", n, "sleeping", "for", secs, "seconds"] => {
                sleeps.push((n.parse::<u32>().unwrap(), secs.parse::<f64>().unwrap()));
            }
            [_, "process", n, "terminating"] => ends.push(n.parse::<u32>().unwrap()),
            _ => panic!("unexpected line {line:?}"),
        }
    }
    assert_eq!(sleeps.len(), 10);
    assert!(sleeps.iter().all(|&(_, s)| (0.5..=3.0).contains(&s)));
    sleeps.sort_by(|a, b| a.1.total_cmp(&b.1));
    let by_deadline: Vec<u32> = sleeps.iter().map(|&(n, _)| n).collect();
    assert_eq!(ends, by_deadline, "tasks end in the order of their sleeps");
}

#[test]
fn client_server_delivers_thirty_messages_in_order() {
    let out = run(env!("CARGO_BIN_EXE_client_server"), &[], "", true);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 30, "{out}");
    let mut next_per_client = [0_u32; 10];
    for (k, line) in lines.iter().enumerate() {
        // "Received msg_id N: client C, msg M"
        let nums: Vec<u32> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        let [id, client, msg] = nums[..] else {
            panic!("bad line {line:?}")
        };
        assert!(line.starts_with("Received msg_id "));
        assert_eq!(id as usize, k + 1, "msg_id runs 1..30 in order");
        assert_eq!(
            msg, next_per_client[client as usize],
            "client {client} in order"
        );
        next_per_client[client as usize] += 1;
    }
    assert_eq!(next_per_client, [3; 10]);
}

#[test]
fn hotswap_script_swaps_both_and_declines_one() {
    let out = run(env!("CARGO_BIN_EXE_hotswap"), &["--script"], "", false);
    assert!(out.contains("now runs client_proc2"), "{out}");
    assert!(out.contains("new function: server_proc2"), "{out}");
    assert!(out.contains("now runs server_proc2"), "{out}");
    assert!(
        out.contains("** ignoring hot swap function client_proc2"),
        "{out}"
    );
    assert!(out.contains("still runs server_proc2"), "{out}");
}

#[test]
fn hotswap_reads_commands_from_stdin() {
    let out = run(env!("CARGO_BIN_EXE_hotswap"), &[], "server\nquit\n", false);
    assert!(out.contains("Enter \"client\" to replace client"), "{out}");
    assert!(out.contains("new function: server_proc2"), "{out}");
    // End of input also exits.
    let out = run(env!("CARGO_BIN_EXE_hotswap"), &[], "", false);
    assert!(out.contains("\"quit\" to exit"), "{out}");
}

#[test]
fn shared_state_interleaves_two_local_tasks_on_one_vec() {
    let out = run(env!("CARGO_BIN_EXE_shared_state"), &[], "", true);
    let want = "\
a wrote entry 0
b wrote entry 0
a wrote entry 1
b wrote entry 1
a wrote entry 2
b wrote entry 2
6 entries, 1 handle left
";
    assert_eq!(out, want);
}
