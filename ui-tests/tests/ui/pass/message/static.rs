//! The static registration: no call at start-up.
use pycos::prelude::*;

#[derive(serde::Serialize, serde::Deserialize, Message)]
struct Order {
    count: u32,
}

fn main() {
    let name = pycos::message::wire_name(&Msg::new(Order { count: 1 })).unwrap();
    assert_eq!(name, Order::NAME);
    assert!(name.ends_with("::Order"));
    pycos::message::check_registry().unwrap();
}
