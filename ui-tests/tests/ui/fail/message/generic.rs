use pycos::Message;

#[derive(serde::Serialize, serde::Deserialize, Message)]
struct Wrapper<T>(T);

fn main() {}
