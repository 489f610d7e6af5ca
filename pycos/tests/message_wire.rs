//! `Msg` across a codec: every built-in and derived types round-trip
//! through postcard as the exact type sent; unregistered types, unknown
//! names and bad bytes are errors, never panics. serde_json is used where
//! the error's text matters (postcard drops custom error messages).

use std::any::Any;
use std::fmt::Debug;

use pycos::Msg;
use pycos::message::{self, NotSerializable};
use pycos::{Message, TaskError, TaskErrorKind};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Message)]
struct Order {
    item: String,
    count: u32,
    tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Message)]
#[message(name = "shop::Reply")]
enum Reply {
    Done,
    Refused(String),
    Partial { sent: u16, left: u16 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Message)]
#[message(manual)]
struct Manual(i64);

/// Registered by nobody.
#[derive(Debug, Clone)]
struct Unregistered;

fn round_trip(msg: &Msg) -> Msg {
    let bytes = postcard::to_allocvec(msg).expect("encodes");
    postcard::from_bytes(&bytes).expect("decodes")
}

fn same<T: Any + Send + Sync + PartialEq + Debug + Clone>(value: T) {
    let back = round_trip(&Msg::new(value.clone()));
    assert_eq!(
        back.downcast_ref::<T>(),
        Some(&value),
        "{} arrives as {}",
        std::any::type_name::<T>(),
        back.type_name()
    );
}

#[test]
fn every_builtin_arrives_as_the_type_sent() {
    same(-5_i8);
    same(-500_i16);
    same(i32::MIN);
    same(i64::MAX);
    same(i128::MIN);
    same(isize::MIN);
    same(200_u8);
    same(60_000_u16);
    same(u32::MAX);
    same(u64::MAX);
    same(u128::MAX);
    same(usize::MAX);
    same(1.5_f32);
    same(-2.25_f64);
    same(true);
    same('λ');
    same(());
    same(String::from("text"));
    same(Some(String::from("maybe")));
    same(None::<String>);
    same(vec![0_u8, 1, 255]);
    same(vec![String::from("a"), String::new()]);
    same(pycos::TaskId::from_parts(7, 9));
    same(pycos::ChannelId::from_parts(u64::MAX, 1));
}

#[test]
fn a_u16_stays_a_u16() {
    let back = round_trip(&Msg::new(7_u16));
    assert!(back.is::<u16>());
    assert!(!back.is::<u32>() && !back.is::<i32>());
}

#[test]
fn a_literal_arrives_as_a_string() {
    let msg = Msg::new("hello");
    assert_eq!(message::wire_name(&msg), Ok("String"));
    let back = round_trip(&msg);
    assert_eq!(
        back.downcast_ref::<String>().map(String::as_str),
        Some("hello")
    );
    assert!(back.downcast_ref::<&str>().is_none());
}

#[test]
fn derived_types_round_trip() {
    same(Order {
        item: "tea".into(),
        count: 3,
        tags: vec!["green".into()],
    });
    same(Reply::Done);
    same(Reply::Refused("sold out".into()));
    same(Reply::Partial { sent: 1, left: 2 });
    assert!(Order::NAME.ends_with("::Order"));
    assert_eq!(Order::NAME, "message_wire::Order");
    assert_eq!(Reply::NAME, "shop::Reply");
}

#[test]
fn a_manual_type_needs_its_register_call() {
    let msg = Msg::new(Manual(-1));
    let err = message::wire_name(&msg).unwrap_err();
    assert!(err.type_name().ends_with("Manual"));
    message::register::<Manual>().unwrap();
    assert_eq!(message::wire_name(&msg), Ok("message_wire::Manual"));
    same(Manual(-1));
}

#[test]
fn an_unregistered_type_is_not_serializable_by_name() {
    let msg = Msg::new(Unregistered);
    let err: NotSerializable = message::wire_name(&msg).unwrap_err();
    assert!(err.type_name().ends_with("Unregistered"), "{err}");
    assert!(err.to_string().contains("Unregistered"));
    assert!(err.to_string().contains("cannot cross the wire"));
    assert!(postcard::to_allocvec(&msg).is_err());
    let text = serde_json::to_string(&msg).unwrap_err().to_string();
    assert!(text.contains("Unregistered"), "{text}");
    assert!(text.contains("derive pycos::Message"), "{text}");
}

#[test]
fn an_unknown_name_is_an_error() {
    let bytes = postcard::to_allocvec(&("no::Such", 5_u8)).unwrap();
    assert!(postcard::from_bytes::<Msg>(&bytes).is_err());
    let err = serde_json::from_str::<Msg>(r#"["no::Such", 5]"#).unwrap_err();
    assert!(
        err.to_string().contains("unknown message type `no::Such`"),
        "{err}"
    );
}

#[test]
fn a_payload_of_the_wrong_shape_is_an_error() {
    let err = serde_json::from_str::<Msg>(r#"["u8", 300]"#).unwrap_err();
    assert!(err.to_string().contains("300"), "{err}");
    assert!(serde_json::from_str::<Msg>(r#"["String"]"#).is_err());
    assert!(serde_json::from_str::<Msg>(r#"[7, 5]"#).is_err());
}

#[test]
fn truncated_bytes_are_errors() {
    let msg = Msg::new(Order {
        item: "coffee".into(),
        count: 1_000_000,
        tags: vec!["hot".into(), "black".into()],
    });
    let bytes = postcard::to_allocvec(&msg).unwrap();
    for len in 0..bytes.len() {
        assert!(postcard::from_bytes::<Msg>(&bytes[..len]).is_err(), "{len}");
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let valid = postcard::to_allocvec(&Msg::new(Reply::Partial { sent: 3, left: 4 })).unwrap();
    for round in 0..20_000 {
        let bytes: Vec<u8> = if round % 2 == 0 {
            let len = rng.usize(0..64);
            (0..len).map(|_| rng.u8(..)).collect()
        } else {
            let mut bytes = valid.clone();
            let at = rng.usize(..bytes.len());
            bytes[at] = rng.u8(..);
            bytes
        };
        let _ = postcard::from_bytes::<Msg>(&bytes);
    }
}

#[test]
fn task_errors_keep_their_kind() {
    for kind in TaskErrorKind::ALL {
        let err = TaskError::from_parts(kind, "why");
        let back = round_trip(&Msg::new(err.clone()));
        let back = back.downcast_ref::<TaskError>().expect("a TaskError");
        assert_eq!(back.kind(), kind);
        assert_eq!(back.to_parts(), err.to_parts());
    }
    let err = serde_json::from_str::<TaskError>(r#"["exploded", ""]"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown task error kind `exploded`")
    );
}

#[test]
fn the_registry_has_no_duplicates_here() {
    assert_eq!(message::check_registry(), Ok(()));
    message::register::<Order>().unwrap();
    message::register::<Order>().unwrap();
    message::register::<String>().unwrap_or_else(|err| panic!("{err}"));
}
