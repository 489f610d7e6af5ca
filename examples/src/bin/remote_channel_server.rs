//! Port of pycos' `remote_channel_server.py`: the server registers the
//! channel `2clients` and subscribes a receiver task of its own, which
//! prints every message sent on it; clients (`remote_channel_client`)
//! locate the channel by name, subscribe their own task and deliver to it.
//!
//! As in pycos, the receiver subscribes only after a delay (default 5 s,
//! the first argument), so a client's `deliver(n=2)` visibly waits for
//! both subscribers. Added to the original: every line typed on the
//! server is sent on the channel too, so the clients print it. `quit`,
//! `exit` or the end of input stops the server.
//!
//! Output, one line each: `server at IP:PORT`, `receiver subscribed`,
//! `received "TEXT" from TASK at IP:PORT` (`received end from …` for a
//! client's last message).
//!
//! On one machine, over loopback:
//!
//! ```text
//! cargo run -p pycos-examples --bin remote_channel_server -- --no-discover --host 127.0.0.1 --port 9705
//! cargo run -p pycos-examples --bin remote_channel_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705
//! ```
//!
//! On two machines: start both without `--no-discover` (UDP discovery
//! finds the server on the local network), or give the client
//! `--peer SERVER_IP:9705`.

use pycos::prelude::*;
use pycos_examples::net;
use pycos_examples::remote_channel::Post;

#[task]
fn receiver_proc(channel: Channel, delay: f64, task: TaskCtx) -> Result<(), String> {
    task.set_daemon(true);
    // Until this subscribes, a client's deliver(n=2) waits.
    task.sleep(delay).await;
    channel.subscribe(&task).await.map_err(|e| e.to_string())?;
    println!("receiver subscribed");
    loop {
        let msg = task.receive().await;
        let Some(post) = msg.downcast_ref::<Post>() else {
            println!("received {}", net::describe(&msg));
            continue;
        };
        post.print();
    }
}

#[pycos::main]
fn main() -> Result<(), String> {
    let args = net::parse()?;
    let delay = args.seconds(0, "the delay", 5.0)?;
    let node = args.builder.start().map_err(|err| err.to_string())?;
    let channel = Channel::new("2clients").map_err(|err| err.to_string())?;
    // Registered, clients can locate it by name.
    channel.register().map_err(|err| err.to_string())?;
    println!("server at {}", node.location());
    let receiver = Task::new(receiver_proc(channel.clone(), delay)).untyped();
    net::each_line_until_quit(|line| {
        let post = Post {
            msg: Some(line),
            sender: receiver.clone(),
        };
        if let Err(err) = channel.send(post) {
            println!("cannot send: {err}");
        }
    });
    Ok(())
}
