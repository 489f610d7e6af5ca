//! Port of pycos' `chat_chan_client.py`: joins the chat of
//! `chat_chan_server`. It locates the task `chat_server` and the channel
//! `chat_channel` beside it, subscribes a receiver task to the channel,
//! then sends every line typed (with this client's name, `--name`) on the
//! channel, and prints what the others say. `quit`, `exit` or the end of
//! input leaves the chat.
//!
//! Output, one line each: `joined chat at IP:PORT`, then for every line of
//! another client `NAME says: TEXT` (`NAME joined :-)`, `NAME left :-(`
//! for joins and leaves), and `left chat` at the end.
//!
//! ```text
//! cargo run -p pycos-examples --bin chat_chan_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705 --name alice
//! ```
//!
//! Without `--peer` (and without `--no-discover`), discovery finds the
//! server on the local network. See `chat_chan_server` for the whole setup.

use std::time::Duration;

use pycos::prelude::*;
use pycos_examples::chat_chan::{Line, ToServer};
use pycos_examples::net;

/// Prints the lines of everyone else.
#[task]
fn recv_proc(me: String, task: TaskCtx) {
    task.set_daemon(true);
    loop {
        let msg = task.receive().await;
        if let Some(line) = msg.downcast_ref::<Line>()
            && line.who != me
        {
            println!("{} {}", line.who, line.text);
        }
    }
}

/// Joins: the server's task and channel, and the subscribed receiver.
#[task]
fn join(
    me: String,
    peers: Vec<pycos_net::Location>,
    task: TaskCtx,
) -> Result<(Task, Channel, Task), String> {
    let node = net::linked(&peers).await?;
    let limit = Duration::from_secs(5);
    let server = node
        .locate_task("chat_server", None, limit)
        .await
        .ok_or("could not locate chat_server")?;
    let at = net::task_location(&server).parse().ok();
    // The channel is where the server task is.
    let channel = node
        .locate_channel("chat_channel", at, limit)
        .await
        .ok_or("could not locate chat_channel")?;
    let receiver = Task::new(recv_proc(me.clone())).untyped();
    channel
        .subscribe(&receiver)
        .await
        .map_err(|e| e.to_string())?;
    server
        .send(ToServer::Join {
            who: me,
            client: task.handle(),
        })
        .map_err(|e| e.to_string())?;
    let welcome = task.receive().timeout(limit).await;
    if welcome.is_none() {
        return Err("the server did not answer".to_owned());
    }
    println!("joined chat at {}", net::task_location(&server));
    Ok((server, channel, receiver))
}

#[task]
fn leave(me: String, server: Task, channel: Channel, receiver: Task) -> Result<(), String> {
    server
        .send(ToServer::Quit { who: me })
        .map_err(|e| e.to_string())?;
    channel
        .unsubscribe(&receiver)
        .await
        .map_err(|e| e.to_string())
}

#[pycos::main]
fn main() -> Result<(), String> {
    let args = net::parse()?;
    let node = args.builder.start().map_err(|err| err.to_string())?;
    let me = node.name().to_owned();
    let (server, channel, receiver) = Task::new(join(me.clone(), args.peers))
        .value()
        .map_err(|e| e.to_string())?;
    // Blocking reads on the main thread, as pycos' AsyncThreadPool does.
    net::each_line_until_quit(|text| {
        let line = Line {
            text,
            who: me.clone(),
        };
        if let Err(err) = channel.send(line) {
            println!("cannot send: {err}");
        }
    });
    let left = Task::new(leave(me, server, channel, receiver)).value();
    println!("left chat");
    left.map_err(|e| e.to_string())
}
