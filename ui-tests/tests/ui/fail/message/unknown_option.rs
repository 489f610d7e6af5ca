use pycos::Message;

#[derive(serde::Serialize, serde::Deserialize, Message)]
#[message(rename = "a::Ping")]
struct Ping;

fn main() {}
