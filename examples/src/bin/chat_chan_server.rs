//! Port of pycos' `chat_chan_server.py`: a chat whose lines travel over
//! a registered channel, `chat_channel`, that every client
//! (`chat_chan_client`) locates and subscribes to. The task registered as
//! `chat_server` welcomes clients that join and announces joins and leaves
//! on the channel; the channel's transform (as in pycos) drops shouting
//! (lines all in capitals) and turns `joined`/`bye` into `joined :-)` /
//! `left :-(`, and anything else into `says: …`.
//!
//! Added to the original: the server prints every join and leave, and
//! watches its peers ([`Node::peer_status`](pycos_net::Node::peer_status))
//! so that a client that vanishes without `quit` is announced as left
//! too. `quit`, `exit` or the end of input stops the server.
//!
//! Output, one line each: `server at IP:PORT`, `NAME joined`, `NAME left`,
//! `NAME lost` (its node went offline).
//!
//! On one machine, over loopback (each client in its own terminal):
//!
//! ```text
//! cargo run -p pycos-examples --bin chat_chan_server -- --no-discover --host 127.0.0.1 --port 9705
//! cargo run -p pycos-examples --bin chat_chan_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705 --name alice
//! cargo run -p pycos-examples --bin chat_chan_client -- --no-discover --host 127.0.0.1 --port 0 --peer 127.0.0.1:9705 --name bob
//! ```
//!
//! On several machines: leave out `--no-discover` (discovery finds the
//! server on the local network) or give each client `--peer SERVER_IP:9705`.

use std::collections::HashMap;

use pycos::prelude::*;
use pycos_examples::chat_chan::{Line, ToServer};
use pycos_examples::net;

/// pycos' `txfm_msgs`: drops shouting, rewords joins and leaves.
fn reword(_channel: &str, msg: Msg) -> Option<Msg> {
    let Some(line) = msg.downcast_ref::<Line>() else {
        return Some(msg);
    };
    let letters: Vec<char> = line.text.chars().filter(|c| c.is_alphabetic()).collect();
    if !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) {
        return None;
    }
    let text = match line.text.as_str() {
        "joined" => "joined :-)".to_owned(),
        "bye" => "left :-(".to_owned(),
        other => format!("says: {other}"),
    };
    Some(Msg::new(Line {
        text,
        who: line.who.clone(),
    }))
}

#[task]
fn server_proc(channel: Channel, task: TaskCtx) -> Result<(), String> {
    task.set_daemon(true);
    task.register("chat_server").map_err(|e| e.to_string())?;
    let node = pycos_net::Node::current().ok_or("no node")?;
    node.peer_status(&task.handle());
    // The clients in the chat, by the location of their node.
    let mut clients: HashMap<String, String> = HashMap::new();
    let announce = |text: &str, who: &str| {
        let _ = channel.send(Line {
            text: text.to_owned(),
            who: who.to_owned(),
        });
    };
    loop {
        let msg = task.receive().await;
        if let Some(status) = msg.downcast_ref::<pycos_net::PeerStatus>() {
            if status.status != pycos_net::PeerState::Online
                && let Some(who) = clients.remove(&status.location.to_string())
            {
                println!("{who} lost");
                announce("bye", &who);
            }
            continue;
        }
        match msg.downcast_ref::<ToServer>() {
            Some(ToServer::Join { who, client }) => {
                println!("{who} joined");
                clients.insert(net::task_location(client), who.clone());
                let _ = client.send(String::from("welcome"));
                announce("joined", who);
            }
            Some(ToServer::Quit { who }) => {
                println!("{who} left");
                clients.retain(|_, name| name != who);
                announce("bye", who);
            }
            None => {}
        }
    }
}

#[pycos::main]
fn main() -> Result<(), String> {
    let args = net::parse()?;
    let node = args.builder.start().map_err(|err| err.to_string())?;
    let channel = Channel::with_transform("chat_channel", reword).map_err(|e| e.to_string())?;
    channel.register().map_err(|err| err.to_string())?;
    Task::new(server_proc(channel.clone()));
    println!("server at {}", node.location());
    net::each_line_until_quit(|_| {});
    channel.close();
    Ok(())
}
