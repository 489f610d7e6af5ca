use pycos::Message;

#[derive(serde::Serialize, serde::Deserialize, Message)]
#[message(name = "a::Ping", name = "b::Ping")]
struct Ping;

fn main() {}
