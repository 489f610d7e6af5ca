//! The replacement bodies of the hot swap example (pycos'
//! `hotswap_funcs.py`, which the original loads from a file at run time;
//! here they are compiled in).

use pycos::prelude::*;

/// The new server: applies `fname` (`log` or `sqrt`) to what it receives.
#[task]
pub(crate) fn server_proc2(fname: &'static str, task: TaskCtx) {
    let func: fn(f64) -> f64 = if fname == "log" { f64::ln } else { f64::sqrt };
    task.set_daemon(true);
    task.hot_swappable(true);
    loop {
        match task.receive().catch().await {
            Ok(msg) => {
                let n = msg.downcast_ref::<u32>().copied().unwrap_or_default();
                println!(
                    "  * {} received: {n},  {fname}={:.2}",
                    *task,
                    func(f64::from(n))
                );
            }
            Err(Interrupt::HotSwap(swap)) if swap.name().starts_with("server_proc") => {
                println!("\nreplacing with function: {}\n", swap.name());
                swap.accept();
            }
            Err(Interrupt::HotSwap(swap)) => {
                println!("\n** ignoring hot swap function {}", swap.name());
            }
            Err(other) => other.rethrow(),
        }
    }
}

/// The new client: counts up from 42 in steps of 2.
#[task]
pub(crate) fn client_proc2(server: Task, task: TaskCtx) {
    task.set_daemon(true);
    task.hot_swappable(true);
    let mut i = 42_u32;
    loop {
        println!("  * {}: sending {i}", *task);
        server.send(i).ok();
        i += 2;
        task.sleep(2.0 + fastrand::f64() * 4.0).await;
    }
}
