//! Expansion snapshots, one per shape of input.

use super::support::{Macro, expand, pretty, run};
use insta::assert_snapshot;

#[test]
fn client_proc() {
    assert_snapshot!(expand(
        Macro::Task,
        "",
        r#"
        /// Sends three greetings to `server`.
        fn client_proc(server: Task, n: u32, task: TaskCtx) {
            for x in 0..3 {
                task.sleep(fastrand::f64() * 2.5 + 0.5).await;
                server.send(format!("{n} / {x}"));
            }
        }
        "#,
    ));
}

#[test]
fn server_proc_without_arguments() {
    assert_snapshot!(expand(
        Macro::Task,
        "",
        r#"
        pub fn server_proc(task: TaskCtx) {
            task.set_daemon(true);
            loop {
                let msg = task.receive().await;
                if let Some(text) = msg.downcast_ref::<String>() {
                    println!("received {text}");
                }
            }
        }
        "#,
    ));
}

#[test]
fn fallible_generic_with_patterns() {
    assert_snapshot!(expand(
        Macro::Task,
        "",
        r#"
        #[allow(clippy::needless_pass_by_value)]
        #[inline]
        pub(crate) async fn sum<T, const N: usize>(
            (a, b): (T, T),
            task: pycos::TaskCtx,
            mut times: u32,
        ) -> std::io::Result<T>
        where
            T: Copy + std::ops::Add<Output = T> + Send + Sync + 'static,
        {
            #![allow(unused_mut)]
            let mut total = a;
            while times > 0 {
                task.sleep(0.1).await;
                total = total + b;
                times -= 1;
            }
            Ok(total)
        }
        "#,
    ));
}

#[test]
fn only_top_level_awaits_are_points() {
    assert_snapshot!(expand(
        Macro::Task,
        "",
        r#"
        async fn nested(other: Task<u32>, task: TaskCtx) -> u32 {
            let later = async { task.receive().await };
            let closure = async |t: Task<u32>| t.finish().await;
            fn helper() -> impl Future<Output = ()> { async { inner().await } }
            println!("{:?}", other.finish().await);
            let first = (later.await, 1);
            (ready(first.1).await + 1).await
        }
        "#,
    ));
}

/// `local`: a `LocalTaskSpec`, and no `Send` assertion on the arguments.
#[test]
fn local_task() {
    assert_snapshot!(expand(
        Macro::Task,
        "local",
        r#"
        fn append(log: Rc<RefCell<Vec<u32>>>, n: u32, task: TaskCtx) -> usize {
            task.sleep(0.1).await;
            log.borrow_mut().push(n);
            log.borrow().len()
        }
        "#,
    ));
}

#[test]
fn plain_result_without_ctx_and_crate_override() {
    assert_snapshot!(expand(
        Macro::Task,
        r#"crate = "my::pycos""#,
        r#"
        fn compute(x: u64, label: &'static str) -> (u64, &'static str) {
            (x * 2, label)
        }
        "#,
    ));
}

#[test]
fn test_virtual_clock() {
    assert_snapshot!(expand(
        Macro::Test,
        "virtual_clock",
        r#"
        /// An hour passes at once.
        #[should_panic(expected = "timed out")]
        async fn sleeps_an_hour(task: TaskCtx) -> Result<(), String> {
            task.sleep(3600.0).await;
            Err("timed out".to_owned())
        }
        "#,
    ));
}

#[test]
fn test_without_ctx() {
    assert_snapshot!(expand(
        Macro::Test,
        "",
        r#"
        #[ignore]
        fn spawns() {
            let t = Task::new(compute(1, "one"));
            assert_eq!(t.finish().await.unwrap().0, 2);
        }
        "#,
    ));
}

#[test]
fn main() {
    assert_snapshot!(expand(
        Macro::Main,
        "",
        r#"
        fn main() {
            let server = Task::new(server_proc());
            for i in 0..10 {
                Task::new(client_proc(server.clone(), i));
            }
        }
        "#,
    ));
}

#[test]
fn main_with_result() {
    assert_snapshot!(expand(
        Macro::Main,
        r#"crate = "::my_pycos""#,
        r#"
        fn main() -> Result<(), Box<dyn std::error::Error>> {
            #![allow(unused)]
            let n: u32 = "7".parse()?;
            Task::new(compute(n.into(), "seven"));
            Ok(())
        }
        "#,
    ));
}

/// Only body errors: the full expansion (without `deny(unused_must_use)`,
/// which would repeat them) and the errors.
#[test]
fn body_error_keeps_expansion() {
    assert_snapshot!(pretty(run(
        Macro::Task,
        "",
        r#"
        fn napper(task: TaskCtx) {
            task.sleep(1.0);
        }
        "#,
    )));
}

/// A broken signature: the function as written, made `async`, and the errors.
#[test]
fn signature_error_keeps_item() {
    assert_snapshot!(pretty(run(
        Macro::Task,
        "",
        r#"
        fn greet(name: &str, task: TaskCtx) {
            println!("hello {name}");
        }
        "#,
    )));
}

#[test]
fn remote_task() {
    assert_snapshot!(expand(
        Macro::Task,
        r#"remote, name = "svc::compute""#,
        r#"
        /// Squares `n` after a nap.
        pub fn compute(n: u64, label: String, task: TaskCtx) -> Result<u64, String> {
            task.sleep(0.1).await;
            if label.is_empty() { return Err("no label".into()); }
            Ok(n * n)
        }
        "#,
    ));
}

#[test]
fn remote_task_manual_has_no_static_registration() {
    let manual = expand(Macro::Task, "remote, manual", "fn ping() {}");
    assert!(
        manual.contains("impl ::pycos::rps::RemoteFn for ping"),
        "{manual}"
    );
    assert!(!manual.contains("distributed_slice"), "{manual}");
    let default = expand(Macro::Task, "remote", "fn ping() {}");
    assert!(default.contains("distributed_slice"), "{default}");
    assert!(
        default.contains(r#"const SIGNATURE_TEXT: &'static str = "() -> ()";"#),
        "{default}"
    );
}
