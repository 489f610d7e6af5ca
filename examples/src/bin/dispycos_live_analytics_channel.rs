//! Live analytics on a data stream broadcast over a channel (pycos'
//! `dispycos_live_analytics_channel.py`): two jobs on two servers
//! subscribe to the client's channel `trend`; once both have (a delivery
//! of `start` to 2 subscribers says so), one stream of random numbers
//! goes over the channel to both: `rtask_avg_proc` sends a task at the
//! client a trend signal whenever the moving average of the last 10 is
//! beyond ±0.4, and `rtask_save_proc` saves the stream to a file on its
//! server.
//!
//! ```text
//! cargo run -p pycos-examples --bin dispycos_live_analytics_channel -- [--items N]
//! cargo run -p pycos-examples --bin dispycos_live_analytics_channel -- --node 127.0.0.1:9706 --secret S
//! ```
//!
//! The second runs the servers on a `dispycosnode` started with the same
//! secret (`cargo run -p pycos-net --bin dispycosnode -- -i 127.0.0.1 -s S`).
//!
//! `--items N` (default 1000) numbers are sent, 5 ms apart (pycos:
//! 20 ms). Without `--node` the example starts its own node on loopback.
//! Unlike the Python, the jobs give their counts (signals sent, items
//! saved), which the client prints, and it waits for every signal before
//! it ends; the average is signalled only once its window is full (the
//! Python's TODO). A link between nodes stays open, so there is no
//! `stream_send` to turn on.

use std::io::Write as _;
use std::time::Duration;

use pycos::Channel;
use pycos::prelude::*;
use pycos_examples::cluster::{self, serve_if_node};
use pycos_examples::dispycos_b::{
    DynError, MovingAverage, SignalsSent, Tick, flag_arg, trend_proc,
};
use pycos_net::Located as _;
use pycos_net::dispycos::Client;

/// A job: subscribes to `channel`, waits for `start`, then keeps the
/// moving average over `window_size` items of the stream; each time it is
/// beyond `threshold` either way, a [`Trend`](pycos_examples::dispycos_b::Trend) to `trend_task`. Gives how
/// many it sent.
#[task(remote)]
fn rtask_avg_proc(
    channel: Channel,
    threshold: f64,
    trend_task: Task,
    window_size: u64,
    task: TaskCtx,
) -> Result<u64, String> {
    await_start(&channel, &task).await?;
    let mut average = MovingAverage::new(window_size as usize);
    let mut sent = 0;
    loop {
        let msg = task.receive().await;
        let Some(&Tick { pos, num }) = msg.downcast_ref::<Tick>() else {
            continue;
        };
        let Some(num) = num else { return Ok(sent) };
        if let Some(trend) = average.push(pos, num, threshold) {
            trend_task.send(trend).map_err(|err| err.to_string())?;
            sent += 1;
        }
    }
}

/// A job: subscribes to `channel`, waits for `start`, then saves the
/// stream in the file `tickdata` in its server's directory (removed with
/// the client). Gives how many items.
#[task(remote)]
fn rtask_save_proc(channel: Channel, task: TaskCtx) -> Result<u64, String> {
    await_start(&channel, &task).await?;
    let file = std::fs::File::create("tickdata").map_err(|err| format!("tickdata: {err}"))?;
    let mut file = std::io::BufWriter::new(file);
    let mut saved = 0;
    loop {
        let msg = task.receive().await;
        let Some(&Tick { pos, num }) = msg.downcast_ref::<Tick>() else {
            continue;
        };
        let Some(num) = num else { break };
        writeln!(file, "{pos}: {num}").map_err(|err| format!("tickdata: {err}"))?;
        saved += 1;
    }
    file.flush().map_err(|err| format!("tickdata: {err}"))?;
    Ok(saved)
}

/// Subscribes the job to `channel` and waits for its first message,
/// `start`: every job has subscribed then.
async fn await_start(channel: &Channel, task: &TaskCtx) -> Result<(), String> {
    channel
        .subscribe(task)
        .await
        .map_err(|err| format!("cannot subscribe to {}: {err}", channel.name()))?;
    let first = task.receive().await;
    match first.downcast_ref::<String>() {
        Some(start) if start == "start" => Ok(()),
        _ => Err(format!("the first message is {first:?}, not start")),
    }
}

#[pycos::main]
fn main() -> Result<(), DynError> {
    if let Some(status) = serve_if_node() {
        std::process::exit(status);
    }
    cluster::run(|rest| flag_arg(rest, "--items", 1000), client_proc)
}

/// Schedules the client, starts the two jobs (each a CPU job, so on two
/// servers), and once both subscribed, streams `items` random numbers to
/// them over the channel.
#[task]
fn client_proc(client: Client, items: u64, task: TaskCtx) -> Result<(), DynError> {
    client.schedule().await?;
    let channel = Channel::new("trend")?;
    let trend_task = Task::new(trend_proc());
    let avg = client
        .run(rtask_avg_proc(
            channel.clone(),
            0.4,
            trend_task.untyped(),
            10,
        ))
        .await?;
    let save = client.run(rtask_save_proc(channel.clone())).await?;
    let at = |job: &Task<u64>| job.location().map(|l| l.to_string()).unwrap_or_default();
    println!("average at {}, save at {}", at(&avg), at(&save));
    let reached = channel.deliver("start".to_owned(), 2, 10.0).await?;
    if reached != 2 {
        return Err(format!("start reached {reached} jobs of 2 in 10 s").into());
    }
    println!("both jobs subscribed to {}", channel.name());
    for pos in 0..items {
        let tick = Tick {
            pos,
            num: Some(fastrand::f64() * 2.0 - 1.0),
        };
        channel.send(tick)?;
        task.sleep(0.005).await;
    }
    let end = Tick {
        pos: items,
        num: None,
    };
    channel.send(end)?;
    let signals = avg.finish().await?;
    let saved = save.finish().await?;
    trend_task.send(SignalsSent(signals))?;
    let printed = trend_task
        .finish()
        .timeout(10.0)
        .await
        .ok_or("the trend signals did not all arrive in 10 s")??;
    println!("{signals} trend signals sent, {printed} printed; {saved} items saved");
    client
        .close(false, false, Some(Duration::from_secs(30)))
        .await?;
    Ok(())
}
