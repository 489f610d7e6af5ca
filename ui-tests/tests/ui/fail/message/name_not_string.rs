use pycos::Message;

#[derive(serde::Serialize, serde::Deserialize, Message)]
#[message(name = 5)]
struct Ping;

fn main() {}
