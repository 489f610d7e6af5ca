//! Port of pycos' `hotswap.py`: a client sends numbers to a server; typing
//! `client` or `server` replaces that task's body while it runs (its
//! mailbox and identity kept), `quit` exits. The server accepts only
//! functions named `server_proc*` and declines others.
//!
//! ```text
//! cargo run -p pycos-examples --bin hotswap            # interactive
//! cargo run -p pycos-examples --bin hotswap -- --script
//! ```
//!
//! `--script` swaps both tasks, offers the server an invalid function (which
//! it declines) and exits, without reading stdin.

mod funcs;

use std::io::BufRead;
use std::time::{Duration, Instant};

use pycos::prelude::*;

#[task]
fn server_proc(task: TaskCtx) {
    task.set_daemon(true);
    task.hot_swappable(true);
    loop {
        match task.receive().catch().await {
            Ok(msg) => {
                let n = msg.downcast_ref::<u32>().copied().unwrap_or_default();
                println!("{} received: {n}", *task);
            }
            Err(Interrupt::HotSwap(swap)) => {
                println!("\nnew function: {}\n", swap.name());
                if swap.name().starts_with("server_proc") {
                    swap.accept();
                } else {
                    println!("\n** ignoring hot swap function {}", swap.name());
                }
            }
            Err(other) => other.rethrow(),
        }
    }
}

#[task]
fn client_proc(server: Task, task: TaskCtx) {
    task.set_daemon(true);
    task.hot_swappable(true);
    let mut i = 1_u32;
    loop {
        println!("{}: sending {i}", *task);
        server.send(i).ok();
        i += 1;
        task.sleep(1.0 + fastrand::f64() * 2.0).await;
    }
}

fn swap_server(server: &Task) {
    let fname = if fastrand::bool() { "log" } else { "sqrt" };
    server.hot_swap(funcs::server_proc2(fname)).ok();
}

fn interactive(server: &Task, client: &Task) {
    let stdin = std::io::stdin();
    loop {
        println!(
            "Enter \"client\" to replace client\n\"server\" to replace server\n\"quit\" to exit: "
        );
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let cmd = line.trim().to_lowercase();
        // Each swap is given a moment to take effect before the next
        // command, so that a `quit` typed (or piped) right after it does
        // not end the program before the swap was applied.
        if cmd.starts_with("client") {
            client.hot_swap(funcs::client_proc2(server.clone())).ok();
            wait_for_name(client, "client_proc2", Duration::from_secs(2));
        } else if cmd.starts_with("server") {
            swap_server(server);
            wait_for_name(server, "server_proc2", Duration::from_secs(2));
        } else if cmd == "quit" || cmd == "exit" {
            break;
        }
    }
}

/// Waits, at most `limit`, until `task` runs the function `name`.
fn wait_for_name(task: &Task, name: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    while task.name() != name && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn scripted(server: &Task, client: &Task) {
    std::thread::sleep(Duration::from_millis(300));
    client.hot_swap(funcs::client_proc2(server.clone())).ok();
    wait_for_name(client, "client_proc2", Duration::from_secs(10));
    println!("[script] {client} now runs {}", client.name());
    swap_server(server);
    wait_for_name(server, "server_proc2", Duration::from_secs(10));
    println!("[script] {server} now runs {}", server.name());
    // Not a server function: the new server declines it and keeps running.
    server.hot_swap(funcs::client_proc2(client.clone())).ok();
    std::thread::sleep(Duration::from_millis(300));
    println!("[script] {server} still runs {}", server.name());
}

#[pycos::main]
fn main() {
    let server = Task::new(server_proc()).untyped();
    let client = Task::new(client_proc(server.clone())).untyped();
    if std::env::args().any(|arg| arg == "--script") {
        scripted(&server, &client);
    } else {
        interactive(&server, &client);
    }
}
