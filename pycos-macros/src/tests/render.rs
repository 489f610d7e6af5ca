//! Token rendering used in messages.

use crate::render::compact;

fn render(source: &str) -> String {
    compact(source.parse::<proc_macro2::TokenStream>().expect("tokens"))
}

#[test]
fn reads_like_source() {
    let cases = [
        "task.sleep(1.0)",
        "std::thread::sleep(Duration::from_secs(1))",
        "Result<u32, String>",
        "&'static str",
        "&mut Vec<&[u8]>",
        "T: Send + 'static",
        "Box<dyn Fn(u32) -> u32 + Send>",
        "ch.deliver(msg, -1, 2.0 * x)",
        "Task::locate(\"server\")",
        "S { a: 1 }",
        "x?.y",
    ];
    for case in cases {
        assert_eq!(render(case), case);
    }
    assert_eq!(render("( a , b , )"), "(a, b,)");
}
