//! Port of pycos' `remote_channel_client.py`: locates the channel
//! `2clients` that `remote_channel_server` registered, subscribes a task
//! of its own to it, and starts a sender that delivers ten messages with
//! `deliver(n=2)`: each waits until two tasks (the server's and this one)
//! are subscribed, and prints how many it reached. The subscribed task
//! prints everything sent on the channel — this client's messages, other
//! clients', and the lines typed on the server — until the sender's last
//! message (`None`), then unsubscribes and the client ends.
//!
//! Output, one line each: `server is at IP:PORT`, `delivered to N`,
//! `received "TEXT" from TASK at IP:PORT`, `received end from …`.
//!
//! ```text
//! cargo run -p pycos-examples --bin remote_channel_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! Without `--peer` (and without `--no-discover`), discovery finds the
//! server on the local network. An optional last argument sets the longest
//! pause between deliveries, in seconds (default 0.5, as in pycos).

use pycos::prelude::*;
use pycos_examples::net;
use pycos_examples::remote_channel::Post;

#[task]
fn sender_proc(channel: Channel, longest: f64, task: TaskCtx) -> Result<(), String> {
    // deliver with n=2 sends nothing until both receivers subscribed.
    for x in 0..10 {
        let post = Post {
            msg: Some(format!("message {x}")),
            sender: task.handle(),
        };
        let n = channel
            .deliver(post, 2, 10.0)
            .await
            .map_err(|e| e.to_string())?;
        println!("delivered to {n}");
        task.sleep(fastrand::f64() * longest).await;
    }
    let last = Post {
        msg: None,
        sender: task.handle(),
    };
    channel.send(last).map_err(|e| e.to_string())
}

#[task]
fn receiver_proc(
    peers: Vec<pycos_net::Location>,
    longest: f64,
    task: TaskCtx,
) -> Result<(), String> {
    let node = net::linked(&peers).await?;
    let channel = node
        .locate_channel("2clients", None, std::time::Duration::from_secs(5))
        .await
        .ok_or("could not locate the server's channel 2clients")?;
    println!("server is at {}", net::channel_location(&channel));
    channel.subscribe(&task).await.map_err(|e| e.to_string())?;
    let sender = Task::new(sender_proc(channel.clone(), longest));
    loop {
        let msg = task.receive().await;
        let Some(post) = msg.downcast_ref::<Post>() else {
            continue;
        };
        post.print();
        if post.msg.is_none() && post.sender == sender {
            break;
        }
    }
    channel
        .unsubscribe(&task)
        .await
        .map_err(|e| e.to_string())?;
    sender.finish().await.map_err(|e| e.to_string())
}

#[pycos::main]
fn main() -> Result<(), String> {
    let args = net::parse()?;
    let longest = args.seconds(0, "the longest pause", 0.5)?;
    args.builder.start().map_err(|err| err.to_string())?;
    Task::new(receiver_proc(args.peers, longest));
    Ok(())
}
