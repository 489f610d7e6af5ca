//! `#[task(remote)]` shapes: the function stays an ordinary task, the
//! type of the same name describes it for callers.
use pycos::prelude::*;
use pycos::rps::RemoteFn;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, pycos::Message)]
struct Order {
    item: String,
    count: u32,
}

/// Many arguments, a derived message as the result, the injected context
/// anywhere.
#[task(remote)]
fn order(item: String, task: TaskCtx, count: u32) -> Order {
    task.sleep(0.0).await;
    Order { item, count }
}

/// No arguments, no result.
#[task(remote)]
fn ping() {}

/// A fallible one: the value is the `Ok` type.
#[task(remote, name = "shop::parse")]
async fn parse(text: String) -> Result<u64, std::num::ParseIntError> {
    text.parse()
}

/// A handle among the arguments.
#[task(remote, manual)]
fn forward(to: Task, n: u32) -> bool {
    to.send(n).is_ok()
}

fn main() {
    assert!(order::NAME.ends_with("::order"));
    assert_eq!(order::SIGNATURE_TEXT, "(String, u32) -> Order");
    assert_eq!(ping::SIGNATURE_TEXT, "() -> ()");
    assert_eq!(parse::NAME, "shop::parse");
    assert_eq!(parse::SIGNATURE_TEXT, "(String) -> Result<u64, std::num::ParseIntError>");
    assert_ne!(order::SIGNATURE, ping::SIGNATURE);
    let _: fn((String, u32)) -> TaskSpec<Order> = order::spec;
    let _: fn(()) -> TaskSpec<()> = ping::spec;
    let _: fn((String,)) -> TaskSpec<u64> = parse::spec;
    let _: fn((Task, u32)) -> TaskSpec<bool> = forward::spec;
    assert!(pycos::rps::entry(order::NAME).is_some(), "registered statically");
    assert!(pycos::rps::entry(forward::NAME).is_none(), "manual: not yet");
    pycos::rps::register_fn::<forward>().unwrap();
    assert!(pycos::rps::entry(forward::NAME).is_some());
    let sched = Pycos::new();
    let made = sched.spawn(order("tea".to_owned(), 2)).value().unwrap();
    assert_eq!(made, Order { item: "tea".to_owned(), count: 2 });
    assert_eq!(sched.spawn(parse::spec(("12".to_owned(),))).value().unwrap(), 12);
    sched.finish().unwrap();
}
