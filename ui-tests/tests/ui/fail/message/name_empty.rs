use pycos::Message;

#[derive(serde::Serialize, serde::Deserialize, Message)]
#[message(name = "")]
struct Ping;

fn main() {}
