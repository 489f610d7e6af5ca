//! Reading standard input without stopping the scheduler, as pycos'
//! `chat_client.py` does: each blocking `read_line` runs on an
//! [`AsyncThreadPool`] thread while a heartbeat task keeps ticking. Each
//! line is echoed in capitals with its word count; end of input prints a
//! summary and exits.
//!
//! ```text
//! cargo run -p pycos-examples --bin pool_stdin [tick-seconds]   # default 1
//! ```

use std::io::{self, BufRead};

use pycos::prelude::*;

/// One line of standard input; `None` at its end. Blocks: it runs on a
/// pool thread, never on the scheduler's.
fn read_line() -> io::Result<Option<String>> {
    let mut line = String::new();
    let read = io::stdin().lock().read_line(&mut line)?;
    Ok((read > 0).then_some(line))
}

/// Shows that the scheduler runs while a pool thread waits for input.
#[task]
fn heartbeat(every: f64, task: TaskCtx) {
    task.set_daemon(true);
    for n in 1.. {
        task.sleep(every).await;
        println!("tick {n}");
    }
}

#[task]
fn reader() -> io::Result<()> {
    let pool = AsyncThreadPool::new(1);
    let (mut lines, mut words) = (0, 0);
    loop {
        // The task waits here like at any other yield point.
        let line = match pool.async_task(read_line).await {
            Ok(read) => read?,
            Err(failed) => return Err(io::Error::other(failed)),
        };
        let Some(line) = line else { break };
        lines += 1;
        let count = line.split_whitespace().count();
        words += count;
        println!("{lines}: {} ({count} words)", line.trim().to_uppercase());
    }
    println!("{lines} lines, {words} words");
    Ok(())
}

#[pycos::main]
fn main() {
    let every = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1.0);
    Task::new(heartbeat(every));
    Task::new(reader());
}
