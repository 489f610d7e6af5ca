//! Two types under one wire name: refused by `register`, reported by
//! `check_registry` among the static registrations, with both places.

use pycos::Message;
use pycos::message;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Message)]
#[message(name = "x")]
struct First;

#[derive(Serialize, Deserialize, Message)]
#[message(name = "x")]
struct Second(u8);

#[derive(Serialize, Deserialize, Message)]
#[message(manual, name = "dup::Manual")]
struct Manual;

#[derive(Serialize, Deserialize, Message)]
#[message(manual, name = "dup::Manual")]
struct Other(String);

#[derive(Serialize, Deserialize, Message)]
#[message(manual, name = "u8")]
struct NotAByte(u8);

#[test]
fn check_registry_names_both_derives() {
    let err = message::check_registry().unwrap_err();
    assert_eq!(err.name(), "x");
    let text = err.to_string();
    assert!(text.contains("`x`"), "{text}");
    assert!(text.contains("First") && text.contains("Second"), "{text}");
    assert!(text.contains("message_duplicate.rs:"), "{text}");
    let mut types = err.type_names();
    types.sort_unstable();
    assert!(types[0].ends_with("First") && types[1].ends_with("Second"));
}

#[test]
fn register_refuses_a_second_type_under_a_taken_name() {
    message::register::<Manual>().unwrap();
    message::register::<Manual>().unwrap();
    let err = message::register::<Other>().unwrap_err();
    let text = err.to_string();
    assert_eq!(err.name(), "dup::Manual");
    assert!(text.contains("Manual") && text.contains("Other"), "{text}");
    assert!(text.contains("message_duplicate.rs:"), "{text}");
    // The first keeps the name.
    let msg = pycos::Msg::new(Manual);
    assert_eq!(message::wire_name(&msg), Ok("dup::Manual"));
    assert!(message::wire_name(&pycos::Msg::new(Other(String::new()))).is_err());
}

#[test]
fn register_refuses_a_builtin_name() {
    let err = message::register::<NotAByte>().unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`u8` (built in)"), "{text}");
    assert!(text.contains("NotAByte"), "{text}");
}
