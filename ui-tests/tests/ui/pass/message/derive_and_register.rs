//! Derives with and without a name, and registers a manual type.
#![forbid(unsafe_code)]

use pycos::message;
use pycos::{Message, Msg};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Message)]
#[message(manual)]
struct Plain(u32);

#[derive(Serialize, Deserialize, Message)]
#[message(manual, name = "ui::Named")]
enum Named {
    A,
    B(String),
}

fn main() {
    // The crate name (trybuild names the case's crate) and the type name.
    assert!(Plain::NAME.ends_with("::Plain") && !Plain::NAME.contains("main"));
    assert_eq!(Named::NAME, "ui::Named");
    message::register::<Plain>().unwrap();
    message::register::<Named>().unwrap();
    message::check_registry().unwrap();
    assert_eq!(message::wire_name(&Msg::new(Named::B(String::new()))), Ok("ui::Named"));
    let _ = (Plain(1).0, Named::A);
}
